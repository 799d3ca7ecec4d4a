import { createPublicKey } from "node:crypto";
import type { Command } from "commander";
import { generateKeyFiles, keyIdOf, parsePrivateKey, parsePublicKey } from "../../attest/index.js";
import { readText } from "../../core/index.js";

export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("create and inspect signing keys (Ed25519)");
  keys
    .command("generate")
    .description("create an Ed25519 key pair: BASE.key (private, mode 0600) and BASE.pub")
    .option("--out <base>", "path of the key pair without extension", ".rampart/keys/signing")
    .option("--force", "replace an existing key pair")
    .addHelpText(
      "after",
      "\nThe key id is the hex sha256 of the public key (SPKI DER); envelopes name their signer by it.\nExample:\n  rampart keys generate --out keys/release-signer",
    )
    .action(async (opts: { out: string; force?: boolean }) => {
      const made = await generateKeyFiles(opts.out, { force: opts.force });
      process.stdout.write(`private key  ${made.privateKeyPath}  (mode 0600, keep it secret)\npublic key   ${made.publicKeyPath}\nkey id       ${made.keyId}\n`);
    });
  keys
    .command("id")
    .description("print the key id of a public or private key file (PEM)")
    .argument("<file>", "PEM key file")
    .action(async (file: string) => {
      const pem = await readText(file);
      const keyId = pem.includes("PRIVATE KEY") ? keyIdOf(createPublicKey(parsePrivateKey(pem, file))) : parsePublicKey(pem, file).keyId;
      process.stdout.write(`${keyId}\n`);
    });
}

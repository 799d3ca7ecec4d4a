/**
 * Helpers for tests that run `rampart gateway` from the built CLI as a real process (test/setup/build.ts
 * builds it first): a model directory, a gateway.yaml, starting the process and waiting on its output.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/db.js";
import { makeTabularModel } from "./tabular-model.js";

const MAIN = join(import.meta.dirname, "..", "..", "dist", "cli", "main.js");

/** A models: entry for the tabular ONNX model of modelDir(). */
export const credit = (name = "credit") => `  - { name: ${name}, type: onnx, onnx: credit.onnx, profile: train.profile.json }\n`;

/** A fresh directory holding the tabular model, its profile, and a Cedar policy letting "scorer" call any model. */
export function modelDir(): string {
  const dir = tempDir();
  makeTabularModel(dir);
  writeFileSync(join(dir, "access.cedar"), `@id("scorer")\npermit (principal == Rampart::Service::"scorer", action == Rampart::Action::"call-model", resource);\n`);
  return dir;
}

/** gateway.yaml text: "scorer" by the API key `key`, the Cedar policy, warn logs, then `extra` and the models. */
export function gatewayConfig(key: string, models: string, extra = "", server = ""): string {
  return `listen: { host: 127.0.0.1, port: 0 }
${server}
auth:
  apiKeys:
    - { principal: scorer, sha256: "${createHash("sha256").update(key).digest("hex")}" }
access: { policies: [access.cedar] }
log: { level: warn }
${extra}
models:
${models}
`;
}

export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process has written to stderr so far. */
  stderr: () => string;
}

/** Starts `rampart gateway --config config` and resolves once it says where it listens; the child joins `children`. */
export async function startGateway(config: string, opts: { cwd: string; children: ChildProcess[]; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [MAIN, "gateway", "--config", config, ...(opts.args ?? [])], { cwd: opts.cwd, env: opts.env, stdio: ["ignore", "ignore", "pipe"] });
  opts.children.push(child);
  let err = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /listening on (http\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`gateway exited ${code}: ${err}`)));
  });
  return { url, child, stderr: () => err };
}

/** Kills every child still running (for afterEach). */
export function killAll(children: ChildProcess[]): void {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
}

/** Polls `ok` every 50 ms until it holds, or throws after `ms`. */
export async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

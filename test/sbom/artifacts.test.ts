import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCoreMetadata, readModelCard, sniffModel } from "../../src/sbom/index.js";
import { tempDir } from "../helpers/db.js";

describe("model detection and model cards from untrusted bytes", () => {
  it("recognises formats by their magic bytes", () => {
    const st = Buffer.alloc(16);
    st.writeBigUInt64LE(40n);
    st[8] = 0x7b;
    expect(sniffModel(st, ".safetensors")).toBe("safetensors");
    expect(sniffModel(Buffer.from("GGUF\x03\x00\x00\x00", "latin1"), ".gguf")).toBe("gguf");
    expect(sniffModel(Buffer.from("\x89HDF\r\n\x1a\n", "latin1"), ".h5")).toBe("hdf5");
    expect(sniffModel(Buffer.from("PK\x03\x04", "latin1"), ".pt")).toBe("pytorch-zip");
    expect(sniffModel(Buffer.from([0x80, 0x02, 0x7d]), ".pkl")).toBe("pickle");
    expect(sniffModel(Buffer.from([0x80, 0x04, 0x95]), ".joblib")).toBe("joblib");
    expect(sniffModel(Buffer.from("\x1c\x00\x00\x00TFL3", "latin1"), ".tflite")).toBe("tflite");
    expect(sniffModel(Buffer.from("hello world, not weights"), ".bin")).toBeUndefined();
    expect(sniffModel(Buffer.alloc(0), ".bin")).toBeUndefined();
  });

  it("never throws on random headers", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.constantFrom(".bin", ".pt", ".onnx", ".pkl", ".pb", ".npz"), (bytes, ext) => {
        sniffModel(bytes, ext);
      }),
      { numRuns: 500 },
    );
  });

  it("reads front matter defensively: garbage YAML is no card, never an exception", async () => {
    const root = tempDir();
    mkdirSync(join(root, "m"));
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (yaml) => {
        writeFileSync(join(root, "m", "README.md"), `---\n${yaml}\n---\nbody\n`);
        await readModelCard(root, "m");
      }),
      { numRuns: 100 },
    );
    writeFileSync(join(root, "m", "README.md"), "---\nlicense: other\nlicense_name: acme-research\ndatasets: squad\n---\n");
    expect(await readModelCard(root, "m")).toMatchObject({ license: "acme-research", datasets: ["squad"], results: [] });
    writeFileSync(join(root, "m", "README.md"), "# no front matter\n");
    expect(await readModelCard(root, "m")).toBeUndefined();
  });

  it("core metadata parsing never throws", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        parseCoreMetadata(s);
      }),
    );
  });
});

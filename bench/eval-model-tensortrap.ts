/**
 * Held-out corpus for `rampart scan model` (session 16), declared before its first score. Three public
 * sources no earlier session scored; nothing of them is committed (the file names and labels below are).
 *
 * Set T — the files written by TensorTrap's own benchmark generator (github.com/realmarauder/TensorTrap,
 * commit 3fc3818086a7d0f496db3e5a4e9056ecbc42e15f, `tests/benchmark_comprehensive.py --setup`: Python
 * standard library only; it pickles payload objects but never loads a file). Label = the generator's own
 * `expected_detection` for each file. Left out: its YAML, ComfyUI-workflow JSON and SVG files and their three
 * benign twins (not formats `scan model` reads). 27 malicious, 6 benign.
 * Set L — the pickles committed at the top of github.com/packetmaven/LordofTheBrines (commit
 * 634da6e9af741d4fd6407b98fc9c5d097656d62d): the five `malicious_*.pkl` (malicious by name and by its
 * `generate_malicious_pickles.py`) and `harmless.pkl` (benign). 5 malicious, 1 benign.
 * Set V — real, benign ONNX models shipped in the npm package `@ricky0123/vad-web` 0.0.31 (`dist/*.onnx`,
 * the Silero voice-activity detectors). 3 benign.
 *
 * No sampling, no seed: every listed file is scored once. A hit: a malicious file with at least one finding of
 * severity high or critical; a benign file with one is a false positive. Each file is scanned alone with the
 * library's defaults (no digest).
 *
 *   npx tsx bench/eval-model-tensortrap.ts <generator output dir> <LordofTheBrines checkout> <vad-web package dir>
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { scanModelPaths } from "../src/scan/model/index.js";

type Label = "malicious" | "benign";
const mal = (f: string): [string, Label] => [f, "malicious"];
const ben = (f: string): [string, Label] => [f, "benign"];

const SET_T: Array<[string, Label]> = [
  ...["os_system.pkl", "subprocess.pkl", "eval_exec.pkl", "pip_main.pkl", "runpy.pkl", "code_interp.pkl", "7z_embedded.7z", "zip_trailing.zip", "magic_mismatch.png"].map((f) =>
    mal(`pickle_bypass/${f}`),
  ),
  ...["malicious.bin", "malicious.pt", "crc_bypass.pt", "asyncio.pkl", "internal.pkl", "multiproc.pkl"].map((f) => mal(`jfrog_zeroday/${f}`)),
  ...["jpeg_polyglot.jpg", "model.pkl.png", "png_stack.png", "pdf_stack.pdf"].map((f) => mal(`polyglot/${f}`)),
  mal("gguf/jinja_inject.gguf"),
  mal("onnx/path_traversal.onnx"),
  mal("onnx/file_read.onnx"),
  mal("keras/lambda_layer.h5"),
  mal("keras/embedded_pickle.h5"),
  ...["oversized.safetensors", "payload.safetensors", "pickle_meta.safetensors"].map((f) => mal(`safetensors/${f}`)),
  ...["safe.gguf", "safe.onnx", "safe.h5", "safe.safetensors", "benign.pkl", "benign.pt"].map((f) => ben(`benign/${f}`)),
];
const SET_L: Array<[string, Label]> = [
  ...["malicious_echo.pkl", "malicious_ls.pkl", "malicious_subprocess_ls.pkl", "malicious_subprocess_touch.pkl", "malicious_touch.pkl"].map(mal),
  ben("harmless.pkl"),
];
const SET_V: Array<[string, Label]> = ["silero_vad_legacy.onnx", "silero_vad_v5.onnx", "silero_vad_v6.onnx"].map((f) => ben(`dist/${f}`));

const HIGH = new Set(["high", "critical"]);

async function score(root: string, name: string, set: Array<[string, Label]>): Promise<void> {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  console.log(`\n### ${name}\n\n| file | label | flagged high/critical | findings |\n|---|---|---|---|`);
  for (const [rel, label] of set) {
    const path = join(root, rel);
    if (!existsSync(path)) throw new Error(`${rel}: missing under ${name}'s folder`);
    const r = await scanModelPaths([path], { digest: false });
    const flagged = r.findings.some((f) => HIGH.has(f.severity));
    if (label === "malicious") flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
    const all = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].join(", ") || "none";
    console.log(`| ${rel} | ${label} | ${flagged ? "yes" : "no"} | ${all} |`);
  }
  console.log(`\n${name}: malicious flagged ${tp} / ${tp + fn}; benign flagged ${fp} / ${fp + tn}`);
}

const [gen, lotb, vad] = process.argv.slice(2);
if (!gen || !lotb || !vad) {
  console.error("usage: npx tsx bench/eval-model-tensortrap.ts <generator output dir> <LordofTheBrines checkout> <vad-web package dir>");
  process.exit(2);
}
await score(gen, "Set T: TensorTrap's generated benchmark (model formats)", SET_T);
await score(lotb, "Set L: LordofTheBrines' committed pickles", SET_L);
await score(vad, "Set V: real ONNX models of @ricky0123/vad-web", SET_V);

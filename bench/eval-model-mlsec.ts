/**
 * Held-out corpus for `rampart scan model` (session 17), declared before its first score. One public source
 * no earlier session scored; nothing of it is committed (the file names and labels below are).
 *
 * Source: github.com/frustratedresearcher/MLSec-Analyzer at commit 02eb06ed95a112eefe7587d95d9476b08b733212
 * (MIT licence).
 * Set K — every committed file of `sample/keras_test_samples/`: Keras `.h5` and `.keras` files. Label = the
 * repository's own file name: `benign_*` benign, `exploit_*` malicious. 38 malicious, 5 benign.
 * Set G — the ten GGUF files its `create_exploit_samples.py` writes (Python standard library only: it packs bytes
 * with `struct` and writes them; it loads nothing) into `sample/malicious_samples_v2/`. Label: malicious (the
 * script calls every one an exploit). 10 malicious.
 * Left out: `sample/model_broken_X.pkl` and `sample/danger.dat` (the repository labels them neither way) and
 * `sample/inject_gguf.py` (it edits a GGUF file the user supplies).
 *
 * Declared sub-view of Set K (by file name, fixed before the run): "code" = the files whose exploit is code that
 * runs on load (lambda, custom layer/loss/metric, callback, safe-mode bypass, nested unsafe, hdf5 pickle, module
 * import, builtins, eval function, marshal bytecode, function type, multiple lambdas, rce lambda); "other" = zip
 * slip, symlink, SSRF / file URI, DoS shapes.
 *
 * No sampling, no seed: every listed file is scored once. A hit: a malicious file with at least one finding of
 * severity high or critical; a benign file with one is a false positive (the rule of sessions 2, 15 and 16).
 * Each file is scanned alone with the library's defaults (no digest).
 *
 *   git clone <MLSec-Analyzer> mlsec && git -C mlsec checkout 02eb06ed95a112eefe7587d95d9476b08b733212
 *   (cd mlsec && python3 create_exploit_samples.py)
 *   npx tsx bench/eval-model-mlsec.ts mlsec
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { scanModelPaths } from "../src/scan/model/index.js";

type Label = "malicious" | "benign";

const K_FILES = [
  "benign_01_simple.keras",
  "benign_02_simple.h5",
  "benign_03_synthetic.keras",
  "benign_model.h5",
  "benign_model.keras",
  ...[
    "01_lambda_os_system.h5",
    "02_lambda_subprocess.h5",
    "03_lambda_eval.h5",
    "04_lambda_reverse_shell.h5",
    "05_lambda_exfiltrate.h5",
    "06_lambda_base64.h5",
    "07_lambda_rot13.h5",
    "08_lambda_hex.h5",
    "09_lambda_chr.h5",
    "10_custom_layer_rce.keras",
    "11_custom_layer_subprocess.keras",
    "12_custom_loss_rce.keras",
    "13_custom_metric_rce.keras",
    "14_zip_slip_basic.keras",
    "15_zip_slip_deep.keras",
    "16_zip_slip_absolute.keras",
    "17_zip_slip_windows.keras",
    "18_safe_mode_bypass.keras",
    "19_nested_unsafe.keras",
    "20_get_file_ssrf.keras",
    "21_cloud_metadata_ssrf.keras",
    "22_file_uri.keras",
    "23_dos_huge_shape.keras",
    "24_dos_deep_nesting.keras",
    "25_hdf5_pickle.h5",
    "26_module_import.keras",
    "27_builtins.keras",
    "28_eval_function.keras",
    "29_marshal_bytecode.keras",
    "30_function_type.keras",
    "31_symlink.keras",
    "32_multiple_lambdas.h5",
    "32_multiple_lambdas.keras",
    "33_callback_rce.keras",
    "dos_memory.h5",
    "rce_lambda.h5",
    "safe_mode_bypass.keras",
    "zip_slip.keras",
  ].map((f) => `exploit_${f}`),
];
const SET_K: Array<[string, Label]> = K_FILES.map((f) => [`sample/keras_test_samples/${f}`, f.startsWith("benign_") ? "benign" : "malicious"]);
/** The declared "other" sub-view: exploits that are not code run on load. */
const K_OTHER = /zip_slip|symlink|ssrf|file_uri|dos_/;

const SET_G: Array<[string, Label]> = [
  "01_rce_jinja_ssti",
  "02_tensor_overflow_cve21836",
  "03_dimension_overflow_cve21802",
  "04_token_memcpy_signed",
  "05_kv_dos_exhaustion",
  "06_path_traversal",
  "07_bad_version_deadbeef",
  "08_max_uint64_length",
  "09_cafebabe_version",
  "10_int32max_length",
].map((f) => [`sample/malicious_samples_v2/exploit_${f}.gguf`, "malicious"]);

const HIGH = new Set(["high", "critical"]);

interface Tally {
  tp: number;
  fn: number;
  fp: number;
  tn: number;
}

async function score(root: string, name: string, set: Array<[string, Label]>, view?: (rel: string) => string): Promise<void> {
  const tallies = new Map<string, Tally>();
  const add = (key: string, label: Label, flagged: boolean) => {
    const t = tallies.get(key) ?? { tp: 0, fn: 0, fp: 0, tn: 0 };
    if (label === "malicious") flagged ? t.tp++ : t.fn++;
    else flagged ? t.fp++ : t.tn++;
    tallies.set(key, t);
  };
  console.log(`\n### ${name}\n\n| file | label | flagged high/critical | findings |\n|---|---|---|---|`);
  for (const [rel, label] of set) {
    const path = join(root, rel);
    if (!existsSync(path)) throw new Error(`${rel}: missing under ${root}`);
    const r = await scanModelPaths([path], { digest: false });
    const flagged = r.findings.some((f) => HIGH.has(f.severity));
    add("all", label, flagged);
    if (view && label === "malicious") add(view(rel), label, flagged);
    const all = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].join(", ") || "none";
    console.log(`| ${rel.split("/").pop()} | ${label} | ${flagged ? "yes" : "no"} | ${all} |`);
  }
  for (const [key, t] of tallies) console.log(`\n${name} [${key}]: malicious flagged ${t.tp} / ${t.tp + t.fn}; benign flagged ${t.fp} / ${t.fp + t.tn}`);
}

const [root] = process.argv.slice(2);
if (!root) {
  console.error("usage: npx tsx bench/eval-model-mlsec.ts <MLSec-Analyzer checkout, after create_exploit_samples.py>");
  process.exit(2);
}
await score(root, "Set K: MLSec-Analyzer's committed Keras samples", SET_K, (rel) => (K_OTHER.test(rel) ? "other" : "code"));
await score(root, "Set G: MLSec-Analyzer's generated GGUF exploits", SET_G);

/**
 * Held-out corpus for `rampart scan model` (session 15): the committed test assets of promptfoo's
 * ModelAudit (github.com/promptfoo/modelaudit, commit 5ddfcdc34310d45a209872c7300585a3aa481971,
 * `tests/assets/`). No earlier session scored any of these files. Labels were fixed (below) from that
 * project's own tests and generators before Rampart ran on any file; nothing of the corpus is committed.
 *
 *   npx tsx bench/eval-model-modelaudit.ts <modelaudit checkout>
 *
 * Set A, the anchor's regression gate (`tests/test_regression_corpus.py`): every file it lists as
 * malicious ("must produce at least one issue") or safe ("must scan clean"), exactly as listed.
 * Set B, every other asset in a format issue #3 names, labelled by the test or generator that uses it:
 * `tests/assets/pickles/*_attack.pkl` (asserted detected in test_pickle_scanner.py and
 * test_os_alias_detection.py), the Keras and TensorFlow samples (malicious when the name says
 * "malicious", as test_security_asset_integration.py selects them), `samples/pickles/simple_nested.pkl`
 * (marked "intentionally malicious" there), the security scenario's model.pkl (generate_security_assets.py
 * builds it with a payload), the other safetensors samples (named by generate_safetensors_assets.py for
 * the suspicious metadata strings they carry), and the licence scenarios' pickles and array and
 * `pipeline.skops` (benign: written by the generators from plain data). Left out, in no set: JSON, YAML
 * and Jinja templates outside model files (not a format `scan model` reads), the licence scenarios' CSV,
 * JSON, LICENSE and .py files, and `samples/pickles/dill_func.pkl` (the anchor's tests call it neither
 * malicious nor safe). No sampling: every listed file is scored.
 *
 * A hit: a malicious file with at least one finding of severity high or critical; a benign file is a
 * false positive when it has one. Each file is scanned alone with the library's defaults (no digest).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { scanModelPaths } from "../src/scan/model/index.js";

type Label = "malicious" | "benign";
const A = "tests/assets";
const SET_A: Array<[string, Label]> = [
  ...[
    "exploit1_basic_torch_bypass.pkl",
    "exploit2_advanced_torch_bypass.pkl",
    "exploit3_sophisticated_hybrid.pkl",
    "exploit4_supply_chain_attack.pkl",
    "exploit5_ultra_high_confidence.pkl",
    "exploit6_ordereddict_bypass.pkl",
    "exploit7_nested_collections.pkl",
    "exploit9_manual_construction.pkl",
    "exploit_ultimate_50pct.pkl",
  ].map((f): [string, Label] => [`${A}/exploits/${f}`, "malicious"]),
  ...[
    "malicious_system_call.pkl",
    "malicious_model_realistic.pkl",
    "decode_exec_chain.pkl",
    "evil.pickle",
    "nested_pickle_raw.pkl",
    "nested_pickle_hex.pkl",
    "nested_pickle_base64.pkl",
    "nested_pickle_multistage.pkl",
  ].map((f): [string, Label] => [`${A}/samples/pickles/${f}`, "malicious"]),
  [`${A}/samples/safetensors/malicious_import.safetensors`, "malicious"],
  [`${A}/samples/pytorch/malicious_eval.pt`, "malicious"],
  [`${A}/samples/archives/path_traversal.zip`, "malicious"],
  ...["safe_data.pkl", "safe_large_model.pkl", "safe_model_with_binary.pkl", "safe_model_with_encoding.pkl", "safe_model_with_tokens.pkl", "safe_nested_structure.pkl"].map(
    (f): [string, Label] => [`${A}/samples/pickles/${f}`, "benign"],
  ),
  [`${A}/samples/safetensors/safe_model.safetensors`, "benign"],
  [`${A}/samples/pytorch/safe_model.pt`, "benign"],
  [`${A}/samples/archives/safe_model.zip`, "benign"],
];
const SET_B: Array<[string, Label]> = [
  ...["memo_attack.pkl", "multiple_stream_attack.pkl", "nt_alias_attack.pkl", "posix_alias_attack.pkl", "stack_global_attack.pkl"].map((f): [string, Label] => [
    `${A}/pickles/${f}`,
    "malicious",
  ]),
  [`${A}/samples/keras/malicious_lambda.h5`, "malicious"],
  [`${A}/samples/keras/safe_model.h5`, "benign"],
  [`${A}/samples/tensorflow/malicious_pyfunc/saved_model.pb`, "malicious"],
  [`${A}/samples/tensorflow/safe_savedmodel/saved_model.pb`, "benign"],
  [`${A}/samples/pickles/simple_nested.pkl`, "malicious"],
  [`${A}/scenarios/security_scenarios/mixed_malicious_model/model.pkl`, "malicious"],
  ...["multiple_patterns", "obfuscated_metadata", "script_injection", "shell_commands", "suspicious_url"].map((f): [string, Label] => [
    `${A}/samples/safetensors/${f}.safetensors`,
    "malicious",
  ]),
  [`${A}/scenarios/license_scenarios/agpl_component/agpl_model.pkl`, "benign"],
  [`${A}/scenarios/license_scenarios/mit_model/model_weights.pkl`, "benign"],
  [`${A}/scenarios/license_scenarios/mixed_licenses/mixed_model.pkl`, "benign"],
  [`${A}/scenarios/license_scenarios/unlicensed_dataset/embeddings.npy`, "benign"],
  [`${A}/samples/pipeline.skops`, "benign"],
];

const HIGH = new Set(["high", "critical"]);

async function score(root: string, name: string, set: Array<[string, Label]>): Promise<void> {
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let tn = 0;
  console.log(`\n### ${name}\n\n| file | label | flagged high/critical | top findings |\n|---|---|---|---|`);
  for (const [rel, label] of set) {
    const path = join(root, rel);
    if (!existsSync(path)) throw new Error(`${rel}: missing from the checkout (wrong commit?)`);
    const r = await scanModelPaths([path], { digest: false });
    const high = r.findings.filter((f) => HIGH.has(f.severity));
    const flagged = high.length > 0;
    if (label === "malicious") flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
    const top = [...new Set(r.findings.map((f) => `${f.ruleId} (${f.severity})`))].slice(0, 3).join(", ") || "none";
    console.log(`| ${rel.slice(A.length + 1)} | ${label} | ${flagged ? "yes" : "no"} | ${top} |`);
  }
  console.log(`\n${name}: malicious flagged ${tp} / ${tp + fn}; benign flagged ${fp} / ${fp + tn}`);
}

const root = process.argv[2];
if (!root) {
  console.error("usage: npx tsx bench/eval-model-modelaudit.ts <modelaudit checkout>");
  process.exit(2);
}
await score(root, "Set A: the anchor's regression gate", SET_A);
await score(root, "Set B: the other labelled model assets", SET_B);

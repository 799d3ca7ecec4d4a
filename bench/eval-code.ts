/**
 * Precision/recall of `rampart scan code` (and, when installed, Bandit) on a hand-labelled corpus.
 *
 *   npx tsx bench/eval-code.ts CORPUS_DIR LABELS.json [--bandit]
 *
 * LABELS.json: { files: { "<file>": { "<line>": "<category>" } } } — every other line of a listed file
 * is safe. A finding is a true positive when it is on a labelled line (or a labelled line lies in its
 * line span) with the same category; every other finding of a counted category is a false positive.
 * Findings below `medium` are not counted for either tool (both report constant-argument calls as low).
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { banditHits, type Hit, rampartHits } from "./eval-code-categories.js";

function score(name: string, hits: Hit[], labels: Record<string, Record<string, string>>): string {
  const wanted = new Set<string>();
  for (const [file, lines] of Object.entries(labels)) for (const [line, cat] of Object.entries(lines)) wanted.add(`${file}:${line}:${cat}`);
  const found = new Set<string>();
  let fp = 0;
  const fps: string[] = [];
  for (const h of hits) {
    let matched = false;
    for (let l = h.line; l <= h.endLine; l++) {
      const key = `${h.file}:${l}:${h.category}`;
      if (wanted.has(key)) {
        found.add(key);
        matched = true;
        break;
      }
    }
    if (!matched) {
      fp++;
      fps.push(`${h.file}:${h.line} ${h.id}`);
    }
  }
  const tp = found.size;
  const missed = [...wanted].filter((k) => !found.has(k));
  const precision = tp + fp ? tp / (tp + fp) : 1;
  const recall = wanted.size ? tp / wanted.size : 1;
  const byCat = new Map<string, [number, number]>();
  for (const k of wanted) {
    const c = k.split(":")[2]!;
    const v = byCat.get(c) ?? [0, 0];
    v[1]++;
    if (found.has(k)) v[0]++;
    byCat.set(c, v);
  }
  return [
    `| ${name} | ${wanted.size} | ${tp} | ${fp} | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${[...byCat].map(([c, [f, n]]) => `${c} ${f}/${n}`).join(", ")} |`,
    `  missed: ${missed.join(" ") || "none"}`,
    `  false positives: ${fps.join(" ") || "none"}`,
  ].join("\n");
}

async function main(): Promise<void> {
  const [corpus, labelsPath, ...rest] = process.argv.slice(2);
  if (!corpus || !labelsPath) {
    console.error("usage: npx tsx bench/eval-code.ts CORPUS_DIR LABELS.json [--bandit]");
    process.exit(2);
  }
  const labels = (JSON.parse(readFileSync(labelsPath, "utf8")) as { files: Record<string, Record<string, string>> }).files;
  // Scan exactly the labelled files: link them into a scratch folder.
  const dir = mkdtempSync(join(tmpdir(), "eval-code-"));
  try {
    for (const f of Object.keys(labels)) symlinkSync(join(corpus, f), join(dir, f));
    const ours = await rampartHits(corpus, Object.keys(labels));
    console.log("| tool | labelled | true positives | false positives | precision | recall | recall by category |");
    console.log("|---|---|---|---|---|---|---|");
    console.log(score("rampart", ours, labels));
    if (rest.includes("--bandit")) {
      const bandit = banditHits(corpus, Object.keys(labels));
      console.log(score(`bandit ${bandit.version}`, bandit.hits, labels));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import { loadavg } from "node:os";
import { filterGeneratedText, screenMessages } from "../src/gateway/filters.js";
import { detectInjection, SensitivePolicy } from "../src/gateway/prompt/index.js";
import { table } from "./util.js";

/**
 * Prompt-scanner latency by prompt size with every scanner on, as the gateway runs them on a chat
 * message: injection rules and classifier, then secrets and PII (redacted), and the same filter on
 * the answer. Prompts vary (a seeded mix of words, an address and a card number) so that caches of a
 * single string do not flatter the figures. Wall time per prompt at p50/p95, and CPU time per prompt.
 */
export default async function bench(): Promise<void> {
  const words = (
    "please could you summarise the attached quarterly report and list three biggest risks for our team budget " +
    "delivery customer invoice meeting Monday Oslo data model training evaluation results ignore the typos system design"
  ).split(" ");
  let seed = 11;
  const rand = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const promptOf = (size: number) => {
    let t = "";
    while (t.length < size) {
      const r = rand();
      t += r < 0.01 ? "mail jane.roe@example.org " : r < 0.015 ? "card 4111 1111 1111 1111 " : `${words[Math.floor(rand() * words.length)]}${rand() < 0.08 ? ". " : " "}`;
    }
    return t.slice(0, size);
  };
  const policies = { pii: SensitivePolicy.parse({ action: "redact" }), secrets: SensitivePolicy.parse({ action: "redact" }) };
  const all = (text: string) => {
    detectInjection(text);
    screenMessages([{ role: "user", content: text }], policies);
  };
  const steps: Array<[string, (t: string) => unknown]> = [
    ["all input scanners", all],
    ["injection (rules + classifier)", (t) => detectInjection(t)],
    ["injection (rules only)", (t) => detectInjection(t, { classifier: false })],
    // The same text as a document the user pastes under a request: the data cues also read the material.
    ["injection, pasted under 'Summarise this document:'", (t) => detectInjection(`Summarise this document:\n\n${t}`)],
    ["secrets + PII (screenMessages)", (t) => screenMessages([{ role: "user", content: t }], policies)],
    ["output filter (canary + secrets + PII)", (t) => filterGeneratedText(t, { canaries: ["CANARY-0123456789"], policies })],
  ];
  const rows: Array<Array<string | number>> = [];
  const sizes = (process.env.BENCH_SIZES ?? "256,2048,16384").split(",").map(Number);
  for (const size of sizes) {
    const prompts = Array.from({ length: 200 }, () => promptOf(size));
    for (const [name, fn] of steps) {
      if (size !== 2048 && name !== "all input scanners") continue;
      for (const p of prompts.slice(0, 30)) fn(p);
      const times: number[] = [];
      const cpu0 = process.cpuUsage();
      for (const p of prompts) {
        const t0 = performance.now();
        fn(p);
        times.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      times.sort((a, b) => a - b);
      const q = (f: number) => times[Math.min(times.length - 1, Math.floor(f * times.length))]!.toFixed(2);
      rows.push([`${size} chars`, name, q(0.5), q(0.95), ((cpu.user + cpu.system) / 1000 / prompts.length).toFixed(2)]);
    }
  }
  console.log(`\nprompt scanners, 200 varied prompts per size (load average ${loadavg()[0]!.toFixed(2)} on this machine):`);
  table(["prompt", "scanners", "p50 ms", "p95 ms", "CPU ms / prompt"], rows);
}

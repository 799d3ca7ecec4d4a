import type { Command } from "commander";

/** A command file: the commands it adds, and how to load its register function. */
export interface CommandGroup {
  /** Top-level command words, or "parent sub" for a subcommand of a shared parent such as `scan`. */
  names: readonly string[];
  load(): Promise<(program: Command) => void>;
}

/**
 * Every command group, in the order `rampart --help` lists them. Add a group: one file, one entry
 * here. Each file is imported only when its command runs (or for the full help), so `rampart scan
 * model` never loads the store, CEL or the PII dictionaries.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { names: ["init", "run", "stages"], load: async () => (await import("./project.js")).registerProject },
  { names: ["keys"], load: async () => (await import("./keys.js")).registerKeys },
  { names: ["attest", "verify"], load: async () => (await import("./attest.js")).registerAttest },
  { names: ["data"], load: async () => (await import("./data.js")).registerData },
  { names: ["data"], load: async () => (await import("./data-access.js")).registerDataAccess },
  { names: ["fairness"], load: async () => (await import("./fairness.js")).registerFairness },
  { names: ["model-card"], load: async () => (await import("./fairness.js")).registerModelCard },
  { names: ["gateway"], load: async () => (await import("./gateway.js")).registerGateway },
  { names: ["ledger", "verify-bundle"], load: async () => (await import("./ledger.js")).registerLedger },
  { names: ["lineage"], load: async () => (await import("./lineage.js")).registerLineage },
  { names: ["monitor"], load: async () => (await import("./monitor.js")).registerMonitor },
  { names: ["policy", "gate"], load: async () => (await import("./policy.js")).registerPolicy },
  { names: ["privacy"], load: async () => (await import("./privacy.js")).registerPrivacy },
  { names: ["registry", "review", "approve", "reject", "promote"], load: async () => (await import("./registry.js")).registerRegistry },
  { names: ["sbom"], load: async () => (await import("./sbom.js")).registerSbom },
  { names: ["serve"], load: async () => (await import("./serve.js")).registerServe },
  { names: ["scan code", "scan secrets"], load: async () => (await import("./scan-code.js")).registerScanCode },
  { names: ["scan deps", "db"], load: async () => (await import("./scan-deps.js")).registerScanDeps },
  { names: ["scan model"], load: async () => (await import("./scan-model.js")).registerScanModel },
  { names: ["scan prompt"], load: async () => (await import("./scan-prompt.js")).registerScanPrompt },
  { names: ["train"], load: async () => (await import("./train.js")).registerTrain },
];

/**
 * The groups a command line needs, from its first two words: those that add its command, or all of
 * them (help, `scan` alone, an unknown command).
 */
export function groupsFor(words: readonly string[]): readonly CommandGroup[] {
  const [first, second] = words;
  if (first === undefined) return COMMAND_GROUPS;
  const keys = second === undefined ? [first] : [first, `${first} ${second}`];
  const needed = COMMAND_GROUPS.filter((g) => keys.some((k) => g.names.includes(k)));
  return needed.length > 0 ? needed : COMMAND_GROUPS;
}

import { analyzePickleBytes, mayBeProtocol0, runPickles, startsLikePickle } from "../pickle/analyze.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

/** `\x80\x02\x8a\x0a` + the 10-byte magic number: legacy torch.save's first pickle. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
function isLegacyTorchHead(head: Uint8Array): boolean {
  return LEGACY_MAGIC.every((b, i) => head[i] === b);
}

/**
 * Plain pickles (protocols 0–5), joblib files, legacy PyTorch files (magic-number pickle + four more)
 * and anything else whose content is a pickle. Reads a growing window from the start, so a legacy
 * checkpoint's raw storages after its pickles are never read.
 */
export const pickleAnalyzer: Analyzer = {
  type: "pickle",
  version: 1,
  required: (head) => startsLikePickle(head) || mayBeProtocol0(head),
  analyze: async (input: AnalyzerInput) => {
    const { source, limits } = input;
    const strong = startsLikePickle(input.head);
    // A protocol-2+ pickle that is not a legacy torch checkpoint (whose raw storages follow its pickles)
    // is read whole in one go: re-running the machine on growing windows cost up to 1.6x the work.
    const whole = strong && !isLegacyTorchHead(input.head);
    let window = whole ? Math.min(source.size, limits.maxPickleBytes) : Math.min(source.size, 256 * 1024);
    for (;;) {
      const buf = await source.read(0, window);
      const probe = runPickles(buf, limits.maxOpcodes, input.deadline, limits.maxPickleMemoryBytes);
      if (probe.truncated && window < source.size && window < limits.maxPickleBytes) {
        // ×16: re-running the machine on each larger window costs at most ~7% more than one run.
        window = Math.min(source.size, limits.maxPickleBytes, window * 16);
        continue;
      }
      if (probe.truncated && window < source.size)
        input.report({
          ruleId: "model.limit",
          severity: "medium",
          message: `pickle is larger than the ${limits.maxPickleBytes}-byte analysis limit; analysis stopped at that point`,
          offset: window,
        });
      // Protocol 0/1 is a guess from one byte: a text file that fails to parse is not reported.
      await analyzePickleBytes(buf, input, { requireEvidence: !strong, runs: probe });
      return;
    }
  },
};

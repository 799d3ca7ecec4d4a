import { analyzePickleBytes, mayBeProtocol0, runPickles, startsLikePickle } from "../pickle/analyze.js";
import type { Analyzer, AnalyzerInput } from "../types.js";

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
    let window = Math.min(source.size, 256 * 1024);
    for (;;) {
      const buf = await source.read(0, window);
      const probe = runPickles(buf, limits.maxOpcodes, input.deadline);
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

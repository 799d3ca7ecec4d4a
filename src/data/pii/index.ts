export { type AnalyzeOptions, analyze, contextWordsOf, type PiiMatch } from "./analyzer.js";
export * as checksums from "./checksums.js";
export { anonymize, decryptText, decryptToken, encryptValue, generateKey, OPERATORS, type OperatorName, type OperatorOptions, operate, parseKey, pseudonym } from "./operators.js";
export { CHECKSUM_ENTITIES, ENTITIES, RECOGNIZERS, type Recognizer } from "./recognizers.js";
export { type ColumnProfile, type PiiScanOptions, ruleIdOf, scanPii, severityOf } from "./scan.js";

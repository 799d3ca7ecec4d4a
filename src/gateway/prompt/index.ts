export { cuesOf, type FeatureSet, featuresOf, PromptClassifier, quantise, shippedClassifier, trainClassifier } from "./classifier.js";
export { dataInstructionMatches, type PromptRole } from "./data-role.js";
export { type Decoded, decodeLayers, rot13 } from "./decode.js";
export { barePersona, type DetectOptions, detectInjection, type PromptVerdict } from "./detect.js";
export { type Normalized, normalizePrompt, skeletonOf } from "./normalize.js";
export { operatorCues, operatorVoice } from "./operator.js";
export { ROLE_RULE, RULES, type Technique } from "./rules.js";
export { type ScanPromptOptions, scanPromptFile, scanPromptText, sensitiveFindings, severityOf, verdictFindings } from "./scan.js";
export { entityCounts, findSensitive, policyOf, redactSpans, replacementOf, SensitiveAction, type SensitivePolicies, SensitivePolicy, type SensitiveSpan } from "./sensitive.js";

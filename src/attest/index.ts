export { decodeBase64, Envelope, pae, signEnvelope, type VerifiedEnvelope, verifyEnvelope, verifyRaw } from "./dsse.js";
export {
  type GeneratedKey,
  generateKeyFiles,
  keyIdOf,
  keySigner,
  loadPublicKey,
  loadSigner,
  type PublicKey,
  parsePrivateKey,
  parsePublicKey,
  publicKeyPem,
  type Signer,
} from "./keys.js";
export {
  attestCheckResult,
  CHECK_RESULT_PREDICATE,
  checkResultOf,
  IN_TOTO_PAYLOAD_TYPE,
  STATEMENT_TYPE,
  Statement,
  signStatement,
  statement,
  type VerifiedStatement,
  verifyStatement,
} from "./statement.js";

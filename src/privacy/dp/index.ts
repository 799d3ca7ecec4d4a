export { type AccountantName, accountEpsilon, type CalibrateOptions, calibrateNoise } from "./calibrate.js";
export { type PrvEpsilon, type PrvOptions, prvEpsilon } from "./prv.js";
export { composeRdp, DEFAULT_ALPHAS, type RdpConversion, type RdpEpsilon, type RdpOptions, rdpEpsilon, rdpToEpsilon, type SgmPhase, sgmRdp } from "./rdp.js";

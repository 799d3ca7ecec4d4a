/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as used by zlib and Python's binascii.crc32. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: string | Uint8Array): number {
  const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 digits in the order GitHub's and npm's token checksums use (digits, upper, lower). */
export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function base62Encode(n: number, width: number): string {
  let out = "";
  while (n > 0) {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}

/**
 * GitHub (ghp_/gho_/ghu_/ghs_/ghr_) and npm (npm_) tokens end in 6 base62 characters holding the
 * CRC-32 of the 30 random characters before them (GitHub blog 2021-04-05; npm blog 2021-09-23).
 */
export function hasValidTokenChecksum(token: string, prefixLength = 4): boolean {
  if (token.length !== prefixLength + 36) return false;
  const body = token.slice(prefixLength, -6);
  return base62Encode(crc32(body), 6) === token.slice(-6);
}

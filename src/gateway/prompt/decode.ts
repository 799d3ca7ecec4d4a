/**
 * Decode-and-rescan (gateway order, step 3): attackers wrap instructions in base64, hex, URL
 * encoding, ROT13 or reversed text so that plain-text rules miss them. Each decoder returns the
 * decoded layers worth scanning again; nothing decoded is ever executed.
 */

export interface Decoded {
  encoding: "base64" | "hex" | "url" | "rot13" | "reversed" | "unicode-tags";
  text: string;
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}[\s:]?){12,}\b/g;
const URL_RUN = /[^\s%]{0,20}(?:%[0-9A-Fa-f]{2}[^\s%]{0,20}){3,}/g;
const MAX_LAYERS = 8;

/** Share of characters that are printable text: decoded noise is not a message. */
function textLike(s: string): boolean {
  if (s.length < 8) return false;
  const good = s.match(/[\p{L}\p{N}\p{P}\p{Zs}\n]/gu)?.length ?? 0;
  return good / s.length >= 0.9 && /\p{L}{3,}/u.test(s);
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= "Z" ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Every decoded layer found in `text`, bounded in count so a crafted prompt cannot blow up the scan. */
export function decodeLayers(text: string): Decoded[] {
  const out: Decoded[] = [];
  const add = (encoding: Decoded["encoding"], decoded: string | undefined) => {
    if (out.length < MAX_LAYERS && decoded && textLike(decoded)) out.push({ encoding, text: decoded });
  };
  for (const m of text.matchAll(BASE64_RUN)) {
    const run = m[0];
    if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue; // plain words or hex are not base64 payloads
    add("base64", utf8(Buffer.from(run.replace(/-/g, "+").replace(/_/g, "/"), "base64")));
  }
  for (const m of text.matchAll(HEX_RUN)) add("hex", utf8(Buffer.from(m[0].replace(/[\s:]/g, ""), "hex")));
  for (const m of text.matchAll(URL_RUN)) {
    try {
      add("url", decodeURIComponent(m[0]));
    } catch {
      // not valid percent-encoding: nothing to rescan
    }
  }
  add("rot13", rot13(text));
  add("reversed", [...text].reverse().join(""));
  return out;
}

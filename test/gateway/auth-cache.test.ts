import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { exportJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { AuthError, createAuthenticator } from "../../src/gateway/auth.js";
import { GatewayConfig } from "../../src/gateway/index.js";
import { tempDir } from "../helpers/db.js";

const k1 = generateKeyPairSync("ed25519");
const k2 = generateKeyPairSync("ed25519");

async function jwks(file: string, keys: Array<[string, KeyObject]>): Promise<void> {
  writeFileSync(file, JSON.stringify({ keys: await Promise.all(keys.map(async ([kid, pub]) => ({ ...(await exportJWK(pub)), kid, alg: "EdDSA" }) as JWK)) }));
}

/** A token issued at `nowMs` for `lifeS` seconds, signed by `key` under `kid`. */
function token(kid: string, key: KeyObject, nowMs: number, lifeS: number, sub = "alice"): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ roles: ["analyst"] })
    .setProtectedHeader({ alg: "EdDSA", kid })
    .setSubject(sub)
    .setIssuer("https://idp.test")
    .setAudience("rampart-gateway")
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifeS)
    .sign(key);
}

function auth(jwksFile: string, audience = "rampart-gateway") {
  return GatewayConfig.parse({
    auth: { jwt: { issuer: "https://idp.test", audience, jwksFile } },
    models: [{ name: "m", type: "http", upstream: "http://127.0.0.1:9/x" }],
  }).auth;
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const reason = (p: Promise<unknown>) =>
  p.then(
    () => "accepted",
    (e: unknown) => (e instanceof AuthError ? e.message : `not an AuthError: ${String(e)}`),
  );

describe("verified-token cache", () => {
  it("checks a token's signature once, then answers from the cache until a minute has passed", async () => {
    const dir = tempDir();
    const file = join(dir, "jwks.json");
    await jwks(file, [["k1", k1.publicKey]]);
    let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
    const authenticate = await createAuthenticator(auth(file), () => clock);
    const t = await token("k1", k1.privateKey, clock, 3_600);
    const first = await authenticate(bearer(t));
    expect(first).toEqual({ id: "alice", roles: ["analyst"], via: "jwt" });
    for (let i = 0; i < 50; i++) expect(await authenticate(bearer(t))).toEqual(first);
    expect(authenticate.verifications).toBe(1);
    // Shared between requests, so nobody can change it.
    expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    clock += 61_000;
    expect((await authenticate(bearer(t))).id).toBe("alice");
    expect(authenticate.verifications).toBe(2);
    // A different token (another subject) is verified on its own; a tampered one never reaches the cache.
    const bob = await token("k1", k1.privateKey, clock, 3_600, "bob");
    expect((await authenticate(bearer(bob))).id).toBe("bob");
    const tampered = `${t.slice(0, -4)}${t.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    expect(await reason(authenticate(bearer(tampered)))).toMatch(/invalid token: (signature does not verify|malformed)/);
    expect(await reason(authenticate(bearer(tampered)))).toMatch(/invalid token/);
    expect(authenticate.verifications).toBe(5);
  });

  it("a cached token stops at its expiry (with jwtVerify's 60 s tolerance), however recently it was cached", async () => {
    const dir = tempDir();
    const file = join(dir, "jwks.json");
    await jwks(file, [["k1", k1.publicKey]]);
    let clock = Date.UTC(2026, 10, 26, 12, 0, 0);
    const authenticate = await createAuthenticator(auth(file), () => clock);
    // Issued 90 s ago for 60 s: expired 30 s ago, inside the tolerance, so it verifies; the cache may keep
    // it for the 30 s of tolerance left (less than its one-minute cap), not a moment longer.
    const t = await token("k1", k1.privateKey, clock - 90_000, 60);
    expect((await authenticate(bearer(t))).id).toBe("alice");
    clock += 29_000;
    expect((await authenticate(bearer(t))).id).toBe("alice");
    expect(authenticate.verifications).toBe(1);
    clock += 2_000; // exp + 61 s
    expect(await reason(authenticate(bearer(t)))).toBe("invalid token: expired");
    expect(await reason(authenticate(bearer(t)))).toBe("invalid token: expired");
    expect(authenticate.verifications).toBe(3);
  });

  it("after a key rotation and reload, tokens of the dropped key are refused even if the old authenticator had cached them", async () => {
    const dir = tempDir();
    const file = join(dir, "jwks.json");
    await jwks(file, [["k1", k1.publicKey]]);
    const clock = Date.now();
    const beforeRotation = await createAuthenticator(auth(file), () => clock);
    const old = await token("k1", k1.privateKey, clock, 3_600);
    const fresh = await token("k2", k2.privateKey, clock, 3_600, "carol");
    expect((await beforeRotation(bearer(old))).id).toBe("alice");
    expect(await reason(beforeRotation(bearer(fresh)))).toBe("invalid token: no matching key");
    // The issuer rotates: k2 in, k1 out; a reload builds a new authenticator from the file.
    await jwks(file, [["k2", k2.publicKey]]);
    const afterRotation = await createAuthenticator(auth(file), () => clock);
    expect(await reason(afterRotation(bearer(old)))).toBe("invalid token: no matching key");
    expect((await afterRotation(bearer(fresh))).id).toBe("carol");
    // A configuration change (another audience) is a new authenticator too: nothing cached carries over.
    const other = await createAuthenticator(auth(file, "another-audience"), () => clock);
    expect(await reason(other(bearer(fresh)))).toMatch(/invalid token: claim aud/);
  });
});

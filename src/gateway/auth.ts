import { createHash, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { TLSSocket } from "node:tls";
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import { fileError, RampartError } from "../core/index.js";
import type { GatewayConfig } from "./config.js";

export interface Principal {
  id: string;
  roles: string[];
  via: "jwt" | "api-key" | "mtls";
}

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestCredentials {
  authorization?: string;
  apiKey?: string;
  socket?: unknown;
}

/** Builds the authenticator: JWT (JWKS, issuer, audience, expiry, algorithm allow-list), API keys, mTLS. */
export async function createAuthenticator(config: GatewayConfig["auth"]): Promise<(c: RequestCredentials) => Promise<Principal>> {
  let keys: JWTVerifyGetKey | undefined;
  if (config.jwt?.jwksFile) {
    let jwks: unknown;
    try {
      jwks = JSON.parse(await readFile(config.jwt.jwksFile, "utf8"));
    } catch (e) {
      throw e instanceof SyntaxError ? new RampartError("invalid-config", `${config.jwt.jwksFile}: not JSON`) : fileError(config.jwt.jwksFile, e);
    }
    keys = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
  } else if (config.jwt?.jwksUrl) {
    // Unknown kids trigger at most one refetch a minute, so random kids cannot flood the issuer.
    keys = createRemoteJWKSet(new URL(config.jwt.jwksUrl), { cooldownDuration: 60_000, timeoutDuration: 5_000 });
  }
  const apiKeys = config.apiKeys.map((k) => ({ ...k, hash: Buffer.from(k.sha256, "hex") }));

  return async (c) => {
    const auth = c.authorization ?? "";
    if (/^bearer\s+/i.test(auth)) {
      if (!keys || !config.jwt) throw new AuthError(401, "bearer tokens are not accepted here");
      const token = auth.replace(/^bearer\s+/i, "").trim();
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          algorithms: config.jwt.algorithms,
          clockTolerance: 60,
          requiredClaims: ["exp", "sub"],
        });
        const claim = payload[config.jwt.rolesClaim];
        const roles = Array.isArray(claim) ? claim.map(String) : typeof payload.scope === "string" ? payload.scope.split(" ") : [];
        return { id: String(payload.sub), roles, via: "jwt" };
      } catch (e) {
        throw new AuthError(401, `invalid token: ${tokenReason(e)}`);
      }
    }
    const presented = c.apiKey ?? (/^apikey\s+/i.test(auth) ? auth.replace(/^apikey\s+/i, "").trim() : undefined);
    if (presented !== undefined) {
      const hash = createHash("sha256").update(presented).digest();
      // Compare every key in constant time so the timing does not tell which key is close.
      let found: (typeof apiKeys)[number] | undefined;
      for (const k of apiKeys) if (timingSafeEqual(k.hash, hash)) found = k;
      if (!found) throw new AuthError(401, "invalid API key");
      return { id: found.principal, roles: found.roles, via: "api-key" };
    }
    if (config.mtls) {
      const socket = c.socket as TLSSocket | undefined;
      if (socket?.authorized) {
        const cert = socket.getPeerCertificate();
        const cn = cert?.subject?.CN;
        if (cn) return { id: String(cn), roles: [], via: "mtls" };
      }
    }
    throw new AuthError(401, "authentication required");
  };
}

function tokenReason(e: unknown): string {
  if (e instanceof joseErrors.JWTExpired) return "expired";
  if (e instanceof joseErrors.JWTClaimValidationFailed) return `claim ${e.claim} ${e.reason}`;
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm not allowed";
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return "signature does not verify";
  if (e instanceof joseErrors.JWKSNoMatchingKey) return "no matching key";
  if (e instanceof joseErrors.JOSENotSupported) return "unsupported algorithm";
  return "malformed";
}

/** Default deny; a matching deny beats any allow. Returns the index of the deciding rule. */
export function authorize(rules: GatewayConfig["access"], principal: Principal, model: string, action: "infer" | "chat"): { allowed: boolean; rule?: number } {
  const matches = (r: GatewayConfig["access"][number]) =>
    r.principals.some((p) => p === "*" || p === principal.id || (p.startsWith("role:") && principal.roles.includes(p.slice(5)))) &&
    r.models.some((m) => m === "*" || m === model) &&
    r.actions.some((a) => a === "*" || a === action);
  const deny = rules.findIndex((r) => r.effect === "deny" && matches(r));
  if (deny >= 0) return { allowed: false, rule: deny };
  const allow = rules.findIndex((r) => r.effect === "allow" && matches(r));
  return allow >= 0 ? { allowed: true, rule: allow } : { allowed: false };
}

import * as crypto from "node:crypto";
import { readFile } from "node:fs/promises";
import type { TLSSocket } from "node:tls";
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import { fileError, messageOf, RampartError } from "../core/index.js";
import { accessPolicies, authorize, type Entity, entity, ref } from "../policy/index.js";
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

/** Checks a request's credentials; `verifications` counts JWT signature checks (the rest were cache hits). */
export type Authenticator = ((c: RequestCredentials) => Promise<Principal>) & { readonly verifications: number };

/** A verified token is trusted again without its signature check for at most this long (and never past its expiry). */
const TOKEN_CACHE_MS = 60_000;
const TOKEN_CACHE_ENTRIES = 10_000;
/** The clock skew allowed on exp and nbf, as jwtVerify is told. */
const CLOCK_TOLERANCE_S = 60;

// crypto.hash (Node ≥ 20.12) skips the Hash object: an API key or a cached token costs one call, not three.
const oneShot = typeof crypto.hash === "function" ? crypto.hash : undefined;
const sha256 = (text: string): Buffer => (oneShot ? oneShot("sha256", text, "buffer") : crypto.createHash("sha256").update(text).digest());

/**
 * Builds the authenticator: JWT (JWKS, issuer, audience, expiry, algorithm allow-list), API keys, mTLS.
 * A token that verified is remembered by its SHA-256 until it expires (with the same tolerance) but at
 * most a minute: a client that sends the same token with every request pays the signature check once a
 * minute, a key dropped from a remote JWKS stops its tokens within a minute, and a reload (which builds
 * a new authenticator) forgets them all. `now` is for tests.
 */
export async function createAuthenticator(config: GatewayConfig["auth"], now: () => number = Date.now): Promise<Authenticator> {
  let keys: JWTVerifyGetKey | undefined;
  if (config.jwt?.jwksFile) {
    let jwks: unknown;
    try {
      jwks = JSON.parse(await readFile(config.jwt.jwksFile, "utf8"));
    } catch (e) {
      throw e instanceof SyntaxError ? new RampartError("invalid-config", `${config.jwt.jwksFile}: not JSON`) : fileError(config.jwt.jwksFile, e);
    }
    try {
      keys = createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]);
    } catch (e) {
      // jose refuses a document without a `keys` array of objects: a configuration error, not a crash.
      throw new RampartError("invalid-config", `${config.jwt.jwksFile}: not a JSON Web Key Set (${messageOf(e)})`);
    }
  } else if (config.jwt?.jwksUrl) {
    // Unknown kids trigger at most one refetch a minute, so random kids cannot flood the issuer.
    keys = createRemoteJWKSet(new URL(config.jwt.jwksUrl), { cooldownDuration: 60_000, timeoutDuration: 5_000 });
  }
  const apiKeys = config.apiKeys.map((k) => ({ ...k, hash: Buffer.from(k.sha256, "hex") }));
  const verified = new Map<string, { principal: Principal; until: number }>();
  let verifications = 0;

  const authenticate = async (c: RequestCredentials): Promise<Principal> => {
    const auth = c.authorization ?? "";
    if (/^bearer\s+/i.test(auth)) {
      if (!keys || !config.jwt) throw new AuthError(401, "bearer tokens are not accepted here");
      const token = auth.replace(/^bearer\s+/i, "").trim();
      const key = sha256(token).toString("base64");
      const t = now();
      const hit = verified.get(key);
      if (hit) {
        if (t < hit.until) return hit.principal;
        verified.delete(key);
      }
      try {
        verifications++;
        const { payload } = await jwtVerify(token, keys, {
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          algorithms: config.jwt.algorithms,
          clockTolerance: CLOCK_TOLERANCE_S,
          currentDate: new Date(t),
          requiredClaims: ["exp", "sub"],
        });
        const claim = payload[config.jwt.rolesClaim];
        const roles = Array.isArray(claim) ? claim.map(String) : typeof payload.scope === "string" ? payload.scope.split(" ") : [];
        // Shared by every request that presents this token: frozen, so no request can change another's.
        const principal: Principal = Object.freeze({ id: String(payload.sub), roles: Object.freeze(roles) as string[], via: "jwt" as const });
        if (verified.size >= TOKEN_CACHE_ENTRIES) verified.clear();
        verified.set(key, { principal, until: Math.min((payload.exp! + CLOCK_TOLERANCE_S) * 1000, t + TOKEN_CACHE_MS) });
        return principal;
      } catch (e) {
        throw new AuthError(401, `invalid token: ${tokenReason(e)}`);
      }
    }
    const presented = c.apiKey ?? (/^apikey\s+/i.test(auth) ? auth.replace(/^apikey\s+/i, "").trim() : undefined);
    if (presented !== undefined) {
      const hash = sha256(presented);
      // Compare every key in constant time so the timing does not tell which key is close.
      let found: (typeof apiKeys)[number] | undefined;
      for (const k of apiKeys) if (crypto.timingSafeEqual(k.hash, hash)) found = k;
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
  return Object.defineProperty(authenticate, "verifications", { get: () => verifications }) as Authenticator;
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

export interface GatewayDecision {
  allowed: boolean;
  /** Cedar policy ids that decided (the permits that allowed, or the forbids that denied); empty = default deny. */
  policies: string[];
  errors: string[];
}

/** What the Cedar resource of a served model is: Model "NAME", or ModelVersion "NAME@VERSION" inside it. */
export interface ModelResource {
  name: string;
  version?: string;
  digest?: string;
  stage: string;
  tags: readonly string[];
}

/**
 * Loads Cedar policy files once (parsed, validated against RAMPART_SCHEMA and pre-parsed inside
 * cedar-wasm) and answers "may this principal call this model" through the shared authoriser.
 * Decisions depend only on principal, roles, model and client address, so they are memoised
 * (bounded) for the life of this policy set: a reload builds a new authoriser.
 */
export async function createAuthorizer(files: readonly string[] | undefined): Promise<(p: Principal, model: ModelResource, clientIp: string) => GatewayDecision> {
  if (!files || files.length === 0) return () => ({ allowed: false, policies: [], errors: [] });
  const bundle = await Promise.all(
    files.map(async (f) => {
      try {
        return { path: f, text: await readFile(f, "utf8") };
      } catch (e) {
        throw fileError(f, e);
      }
    }),
  );
  const policies = accessPolicies(bundle);
  const cache = new Map<string, GatewayDecision>();
  return (p, model, clientIp) => {
    const key = `${p.via}\u0000${p.id}\u0000${p.roles.join("\u0001")}\u0000${model.name}\u0000${clientIp}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const principal = ref(p.via === "api-key" ? "Service" : "User", p.id);
    const modelEntity = entity("Model", model.name, { tags: [...model.tags] });
    const entities: Entity[] = [
      entity(
        principal.type,
        p.id,
        {},
        p.roles.map((r) => ref("Role", r)),
      ),
      modelEntity,
    ];
    let resource = modelEntity.uid;
    if (model.version) {
      const v = entity("ModelVersion", `${model.name}@${model.version}`, { digest: model.digest ?? "", stage: model.stage }, [modelEntity.uid]);
      entities.push(v);
      resource = v.uid;
    }
    const d = authorize({ principal, action: "call-model", resource, context: { clientIp }, entities }, policies);
    const decision = { allowed: d.decision === "allow", policies: d.policyIds, errors: d.errors };
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, decision);
    return decision;
  };
}

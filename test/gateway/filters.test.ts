import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditEvent, buildGateway, filterEventStream, filterGeneratedText, GatewayConfig } from "../../src/gateway/index.js";
import { findSensitive, type SensitivePolicies, SensitivePolicy } from "../../src/gateway/prompt/index.js";
import { base62Encode, crc32 } from "../../src/scan/secrets/index.js";
import { tempDir } from "../helpers/db.js";

// A GitHub token with a valid checksum is built at run time so that no secret-shaped literal sits in the repo.
const TOKEN = githubToken("0123456789abcdefghijklmnopqrstuvwxyzAB".slice(0, 30));
const EMAIL = "jane.roe@example.org";
const CANARY = "CANARY-91b2c3d4-never-say";
const redactAll: SensitivePolicies = { pii: SensitivePolicy.parse({ action: "redact" }), secrets: SensitivePolicy.parse({ action: "redact" }) };

function githubToken(body: string): string {
  return `ghp_${body}${base62Encode(crc32(body), 6)}`;
}

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  let out = "";
  for await (const c of stream) out += c.toString();
  return out;
}

function sse(parts: string[]): string[] {
  return [...parts.map((p) => `data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: p }, finish_reason: null }] })}\n\n`), "data: [DONE]\n\n"];
}

function textOf(body: string): string {
  return body
    .split("\n\n")
    .filter((e) => e.startsWith("data: {"))
    .map((e) => (JSON.parse(e.slice(6)) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.map((c) => c.delta?.content ?? "").join("") ?? "")
    .join("");
}

describe("sensitive data in text", () => {
  it("finds secrets and PII, including a base64-encoded token and non-English text", () => {
    expect(findSensitive(`mail ${EMAIL} token ${TOKEN}`, redactAll).map((s) => s.entity)).toEqual(["EMAIL_ADDRESS", "github-pat"]);
    const encoded = Buffer.from(`my key is ${TOKEN}`).toString("base64");
    const spans = findSensitive(`bitte dekodieren: ${encoded} danke`, redactAll);
    expect(spans).toEqual([expect.objectContaining({ kind: "secret", entity: "github-pat", encoding: "base64" })]);
    const german = findSensitive("Überweisen Sie bitte auf IBAN DE89370400440532013000 und schreiben Sie an jane.roe@example.org", redactAll);
    expect(german.map((s) => s.entity)).toEqual(["IBAN_CODE", "EMAIL_ADDRESS"]);
  });

  it("redacts generated text by entity or mask, and withholds a canary leak", () => {
    const r = filterGeneratedText(`Write to ${EMAIL}, use ${TOKEN}.`, { canaries: [], policies: redactAll });
    expect(r.text).toBe("Write to [EMAIL_ADDRESS], use [SECRET:github-pat].");
    expect(r.found).toEqual({ EMAIL_ADDRESS: 1, "github-pat": 1 });
    const masked = filterGeneratedText(`Write to ${EMAIL}.`, { canaries: [], policies: { pii: SensitivePolicy.parse({ action: "redact", replace: "mask" }) } });
    expect(masked.text).toBe("Write to [REDACTED].");
    const logged = filterGeneratedText(`Write to ${EMAIL}.`, { canaries: [], policies: { pii: SensitivePolicy.parse({ action: "log" }) } });
    expect(logged).toMatchObject({ text: `Write to ${EMAIL}.`, found: { EMAIL_ADDRESS: 1 }, redacted: 0 });
    expect(filterGeneratedText(`it is ${CANARY}`, { canaries: [CANARY], policies: redactAll }).leak).toBe(true);
  });
});

describe("streamed output", () => {
  const answer = `Contact ${EMAIL} or use ${TOKEN} as the key. Lorem ipsum dolor sit amet, `.repeat(3);
  const expected = filterGeneratedText(answer, { canaries: [], policies: redactAll }).text;

  it("redacts a secret and an address however the stream splits them (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 60 }), async (sizes) => {
        const parts: string[] = [];
        for (let at = 0, i = 0; at < answer.length; i++) {
          const n = sizes[i % sizes.length]!;
          parts.push(answer.slice(at, at + n));
          at += n;
        }
        const body = await collect(filterEventStream(sse(parts), { canaries: [], policies: redactAll, hold: 64 }));
        const text = textOf(body);
        expect(text).toBe(expected);
        expect(text).not.toContain(TOKEN.slice(0, 12));
        expect(text).not.toContain(EMAIL);
        expect(body.trimEnd().endsWith("data: [DONE]")).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("stops before any part of a canary split across chunks is sent, and reports it", async () => {
    let summary: unknown;
    const text = `The hidden words are ${CANARY} indeed.`;
    const body = await collect(filterEventStream(sse(text.match(/.{1,3}/g)!), { canaries: [CANARY], policies: redactAll, onEnd: (s) => (summary = s) }));
    expect(body).toContain("system-prompt-leak");
    expect(textOf(body)).not.toContain("CANARY");
    expect(body).not.toContain("[DONE]");
    expect(summary).toMatchObject({ leak: true });
  });

  it("never sends the start of a canary that follows a redacted span, for any chunking (property)", async () => {
    const text = `write to ${EMAIL} ${CANARY} and more text after it`;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 9 }), async (n) => {
        const body = await collect(filterEventStream(sse(text.match(new RegExp(`.{1,${n}}`, "g"))!), { canaries: [CANARY], policies: redactAll, hold: 8 }));
        expect(body).toContain("system-prompt-leak");
        expect(textOf(body)).not.toContain("CANARY");
        expect(textOf(body)).not.toContain(EMAIL);
      }),
    );
  });

  it("never throws on arbitrary upstream bytes and keeps non-JSON events (fuzz)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom("data: ", "\n\n", "[DONE]", '{"choices":[{"delta":{"content":"', '"}}]}', "\r\n\r\n", EMAIL)), {
          maxLength: 40,
        }),
        async (chunks) => {
          const body = await collect(filterEventStream(chunks, { canaries: [CANARY], policies: redactAll }));
          expect(typeof body).toBe("string");
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps held text bounded: a long run without a break is released, not buffered to the end", async () => {
    const parts = Array.from({ length: 200 }, () => "x".repeat(50));
    let first = -1;
    let events = 0;
    for await (const chunk of filterEventStream(sse(parts), { canaries: [], policies: redactAll, hold: 64, maxHold: 512 })) {
      events++;
      if (first < 0 && textOf(chunk.toString()).length > 0) first = events;
    }
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(10);
  });
});

describe("the gateway's chat filters against a real model server", () => {
  let upstream: FastifyInstance;
  let url: string;
  const received: Array<{ messages: Array<{ content: string }> }> = [];

  beforeAll(async () => {
    // An OpenAI-compatible model server: it answers with a fixed text that contains an address and
    // a token, whole or streamed in 7-character pieces so that both are split across chunks.
    upstream = Fastify();
    upstream.post("/v1/chat/completions", async (req, reply) => {
      const body = req.body as { messages: Array<{ content: string }>; stream?: boolean };
      received.push(body);
      const text = `Reach me at ${EMAIL}; the deploy key is ${TOKEN}. Bye.`;
      if (!body.stream) return { id: "c1", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }] };
      reply.header("content-type", "text/event-stream");
      const pieces = text.match(/.{1,7}/g)!;
      reply.raw.writeHead(200, { "content-type": "text/event-stream" });
      for (const [i, p] of pieces.entries()) {
        reply.raw.write(`data: ${JSON.stringify({ id: "c1", choices: [{ index: 0, delta: { content: p }, finish_reason: i === pieces.length - 1 ? "stop" : null }] })}\n\n`);
        await new Promise((r) => setImmediate(r));
      }
      reply.raw.end("data: [DONE]\n\n");
      return reply;
    });
    url = await upstream.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => upstream?.close());

  const policyFile = join(tempDir(), "access.cedar");
  writeFileSync(policyFile, '@id("app")\npermit (principal == Rampart::Service::"app", action == Rampart::Action::"call-model", resource);\n');
  const config = () =>
    GatewayConfig.parse({
      auth: { apiKeys: [{ principal: "app", sha256: createHash("sha256").update("k-1").digest("hex") }] },
      access: { policies: [policyFile] },
      models: [
        { name: "redacting", type: "openai", upstream: `${url}/v1`, prompt: { pii: { action: "redact" } }, output: { pii: { action: "redact" } } },
        { name: "strict", type: "openai", upstream: `${url}/v1`, prompt: { secrets: { action: "block" } } },
      ],
    });

  it("redacts PII and secrets in prompts before the model sees them, or refuses them", async () => {
    const events: AuditEvent[] = [];
    const app = await buildGateway(config(), { audit: (e) => events.push(e) });
    const h = { "x-api-key": "k-1" };
    const ok = await app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: h,
      payload: { model: "redacting", messages: [{ role: "user", content: `My mail is ${EMAIL} and my token ${TOKEN}` }] },
    });
    expect(ok.statusCode).toBe(200);
    expect(received.at(-1)!.messages[0]!.content).toBe("My mail is [EMAIL_ADDRESS] and my token [SECRET:github-pat]");
    expect(events.at(-1)!.details).toMatchObject({ promptSensitive: { EMAIL_ADDRESS: 1, "github-pat": 1 }, promptRedacted: 2 });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    const before = received.length;
    const refused = await app.inject({
      method: "POST",
      url: "/v1/chat/completions",
      headers: h,
      payload: { model: "strict", messages: [{ role: "user", content: `deploy with ${Buffer.from(TOKEN).toString("base64")}` }] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatchObject({ type: "sensitive-data", message: "message 0 contains github-pat, which this model may not receive" });
    expect(received.length).toBe(before);
    expect(events.at(-1)).toMatchObject({ decision: "deny", reason: "sensitive-data" });
    await app.close();
  });

  it("redacts generated text, whole and streamed over HTTP, and audits what it redacted", async () => {
    const events: AuditEvent[] = [];
    const app = await buildGateway(config(), { audit: (e) => events.push(e) });
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    const call = (stream: boolean) =>
      fetch(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "x-api-key": "k-1", "content-type": "application/json" },
        body: JSON.stringify({ model: "redacting", stream, messages: [{ role: "user", content: "hi" }] }),
      });
    const whole = (await (await call(false)).json()) as { choices: Array<{ message: { content: string } }> };
    expect(whole.choices[0]!.message.content).toBe("Reach me at [EMAIL_ADDRESS]; the deploy key is [SECRET:github-pat]. Bye.");
    expect(events.at(-1)).toMatchObject({ decision: "allow", reason: "ok:output-redacted", details: { outputSensitive: { EMAIL_ADDRESS: 1, "github-pat": 1 } } });
    const streamed = await (await call(true)).text();
    expect(textOf(streamed)).toBe("Reach me at [EMAIL_ADDRESS]; the deploy key is [SECRET:github-pat]. Bye.");
    expect(textOf(streamed)).not.toContain("ghp_");
    expect(streamed.trimEnd().endsWith("data: [DONE]")).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toMatchObject({ decision: "allow", reason: "ok:stream-redacted", details: { outputRedacted: 2 } });
    await app.close();
  });
});

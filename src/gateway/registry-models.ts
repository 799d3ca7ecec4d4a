import { RampartError } from "../core/index.js";
import { artifactDir, artifactPath, resolveModelVersion } from "../registry/index.js";
import { openStore } from "../store/index.js";
import type { GatewayConfig, ModelConfig } from "./config.js";

/**
 * Models configured with `registry:` get their file from the registry's artifact store: the version
 * the selector names (the newest release in a stage, a label or a digest) is pinned by digest, so the
 * loader refuses any other bytes, and its label (else the release id, else the digest's first 12 hex
 * digits) becomes the version Cedar sees.
 */
export async function resolveRegistryModels(config: GatewayConfig): Promise<ModelConfig[]> {
  if (!config.models.some((m) => m.registry)) return config.models;
  const project = config.registry?.project ?? ".";
  const artifacts = config.registry?.artifacts ?? artifactDir(project);
  const store = await openStore({ url: config.registry?.database, projectDir: project });
  try {
    const out: ModelConfig[] = [];
    for (const m of config.models) {
      if (!m.registry) {
        out.push(m);
        continue;
      }
      const v = await resolveModelVersion(store, m.name, m.registry).catch((e: unknown) => {
        throw new RampartError("invalid-config", `models ${m.name}: registry: ${(e as Error).message}`);
      });
      if (m.sha256 && m.sha256 !== v.sha256) throw new RampartError("invalid-config", `models ${m.name}: the registry selects sha256 ${v.sha256}, the config pins ${m.sha256}`);
      const onnx = await artifactPath(artifacts, v.sha256).catch((e: unknown) => {
        throw new RampartError("invalid-config", `models ${m.name}: ${(e as Error).message}`);
      });
      out.push({ ...m, onnx, sha256: v.sha256, version: m.version ?? v.label ?? v.release ?? v.sha256.slice(0, 12) });
    }
    return out;
  } finally {
    await store.close();
  }
}

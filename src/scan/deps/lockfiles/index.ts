import { basename, posix } from "node:path";
import type { Dependency } from "../types.js";
import { parseCargoLock } from "./cargo.js";
import { parseGoMod, parseGoSum } from "./go.js";
import { parseGradleLock, parsePom } from "./jvm.js";
import { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./npm.js";
import { parseCondaEnvironment, parsePipfileLock, parsePoetryLock, parsePyproject, parseUvLock } from "./python.js";
import { parseRequirements, type RequirementsReader } from "./requirements.js";

/**
 * One analyzer per file format (Trivy's shape): a type, a version that changes when its output does,
 * `required(path)` saying which files it wants, and `parse`. Manifests say what a project asks for;
 * locks say what it gets. When a lock sits beside a manifest, the lock wins.
 */
export interface LockfileAnalyzer {
  type: string;
  version: number;
  kind: "lock" | "manifest";
  required(relPath: string): boolean;
  parse(text: string, relPath: string, reader: RequirementsReader): Promise<Dependency[]> | Dependency[];
}

const named =
  (...names: string[]) =>
  (p: string) =>
    names.includes(basename(p));

export const ANALYZERS: readonly LockfileAnalyzer[] = [
  {
    type: "requirements",
    version: 1,
    kind: "manifest",
    // requirements.txt, requirements-dev.txt, dev-requirements.txt, requirements/*.txt, constraints.txt
    required: (p) => /(^|\/)([\w.-]*requirements[\w.-]*|constraints[\w.-]*)\.txt$/.test(p) || /(^|\/)requirements\/[^/]+\.txt$/.test(p),
    parse: (_text, file, reader) => parseRequirements(file, reader),
  },
  { type: "pyproject", version: 1, kind: "manifest", required: named("pyproject.toml"), parse: (t, f) => parsePyproject(t, f) },
  { type: "poetry.lock", version: 1, kind: "lock", required: named("poetry.lock"), parse: (t, f) => parsePoetryLock(t, f) },
  { type: "uv.lock", version: 1, kind: "lock", required: named("uv.lock"), parse: (t, f) => parseUvLock(t, f) },
  { type: "Pipfile.lock", version: 1, kind: "lock", required: named("Pipfile.lock"), parse: (t, f) => parsePipfileLock(t, f) },
  {
    type: "conda",
    version: 1,
    kind: "manifest",
    required: (p) => /(^|\/)([\w.-]*environment[\w.-]*)\.ya?ml$/.test(p),
    parse: (t, f) => parseCondaEnvironment(t, f),
  },
  { type: "package-lock.json", version: 1, kind: "lock", required: named("package-lock.json", "npm-shrinkwrap.json"), parse: (t, f) => parsePackageLock(t, f) },
  { type: "package.json", version: 1, kind: "manifest", required: named("package.json"), parse: (t, f) => parsePackageJson(t, f) },
  { type: "pnpm-lock.yaml", version: 1, kind: "lock", required: named("pnpm-lock.yaml"), parse: (t, f) => parsePnpmLock(t, f) },
  { type: "yarn.lock", version: 1, kind: "lock", required: named("yarn.lock"), parse: (t, f) => parseYarnLock(t, f) },
  { type: "pom.xml", version: 1, kind: "manifest", required: named("pom.xml"), parse: (t, f) => parsePom(t, f) },
  {
    type: "gradle.lockfile",
    version: 1,
    kind: "lock",
    required: (p) => /(^|\/)(?:[\w.-]+-)?gradle\.lockfile$/.test(p) || /(^|\/)gradle\/dependency-locks\/[^/]+\.lockfile$/.test(p),
    parse: (t, f) => parseGradleLock(t, f),
  },
  { type: "go.mod", version: 1, kind: "manifest", required: named("go.mod"), parse: (t, f) => parseGoMod(t, f) },
  { type: "go.sum", version: 1, kind: "lock", required: named("go.sum"), parse: (t, f) => parseGoSum(t, f) },
  { type: "Cargo.lock", version: 1, kind: "lock", required: named("Cargo.lock"), parse: (t, f) => parseCargoLock(t, f) },
];

/** The analyzer for a path relative to the scanned root, if any wants it. */
export function analyzerFor(relPath: string): LockfileAnalyzer | undefined {
  return ANALYZERS.find((a) => a.required(relPath));
}

/** npm-family locks that say everything a package.json in the same folder asks for. */
export function npmLockBeside(relPath: string, present: ReadonlySet<string>): boolean {
  const dir = posix.dirname(relPath);
  return ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock"].some((l) => present.has(dir === "." ? l : `${dir}/${l}`));
}

/** Python locks that pin what a pyproject.toml in the same folder asks for. */
export function locksBeside(relPath: string, present: ReadonlySet<string>): boolean {
  const dir = posix.dirname(relPath);
  return ["poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock"].some((l) => present.has(dir === "." ? l : `${dir}/${l}`));
}

export { parseCargoLock } from "./cargo.js";
export { parseGoMod, parseGoSum } from "./go.js";
export { parseGradleLock, parsePom } from "./jvm.js";
export { parsePackageJson, parsePackageLock, parsePnpmLock, parseYarnLock } from "./npm.js";
export { parseCondaEnvironment, parsePipfileLock, parsePoetryLock, parsePyproject, parseUvLock } from "./python.js";
export { parseRequirementLine, parseRequirements, type RequirementsReader } from "./requirements.js";

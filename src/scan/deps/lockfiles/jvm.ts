import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type Dependency, invalid, isTable, lineIndex, type Table } from "../types.js";

const DEPENDENCY_LISTS = new Set(["project.dependencies.dependency", "project.dependencyManagement.dependencies.dependency", "project.profiles.profile"]);

/** Text of an XML element that holds only text (the parser gives numbers and booleans back as text too). */
function text(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/**
 * pom.xml: `<dependencies>` with versions written in the file, directly or through `${property}`
 * (`<properties>`, `project.version`, `project.parent.version`), or through the file's own
 * `<dependencyManagement>`. A version that only a parent POM or an imported BOM could supply is
 * not guessed: the dependency is listed without one. Ranges (`[1.0,2.0)`) are unpinned.
 * Entities are not expanded (no DOCTYPE tricks) and nothing is fetched.
 */
export function parsePom(source: string, file: string): Dependency[] {
  const valid = XMLValidator.validate(source);
  if (valid !== true) throw invalid(file, `not valid XML (${valid.err.msg})`, valid.err.line);
  const parser = new XMLParser({
    ignoreAttributes: true,
    processEntities: false,
    parseTagValue: false,
    isArray: (_name, jpath) => DEPENDENCY_LISTS.has(String(jpath)),
  });
  let doc: Table;
  try {
    doc = parser.parse(source) as Table;
  } catch (e) {
    throw invalid(file, `not valid XML (${(e as Error).message.split("\n")[0]})`);
  }
  const project = doc.project;
  if (!isTable(project)) throw invalid(file, "no <project> element: not a Maven POM");
  const props = new Map<string, string>();
  const parent = isTable(project.parent) ? project.parent : {};
  if (isTable(project.properties)) for (const [k, v] of Object.entries(project.properties)) if (text(v) !== undefined) props.set(k, text(v)!);
  const version = text(project.version) ?? text(parent.version);
  const groupId = text(project.groupId) ?? text(parent.groupId);
  if (version) props.set("project.version", version).set("pom.version", version).set("version", version);
  if (groupId) props.set("project.groupId", groupId);
  if (text(parent.version)) props.set("project.parent.version", text(parent.version)!);
  const resolve = (v: string | undefined): string | undefined => {
    let out = v;
    for (let i = 0; out?.includes("${") && i < 10; i++) out = out.replace(/\$\{([^}]+)\}/g, (whole, k: string) => props.get(k) ?? whole);
    return out;
  };
  const list = (node: unknown): Table[] => (isTable(node) && Array.isArray(node.dependency) ? (node.dependency as unknown[]).filter(isTable) : []);
  const managed = new Map<string, string>();
  for (const d of list(isTable(project.dependencyManagement) ? project.dependencyManagement.dependencies : undefined)) {
    const v = resolve(text(d.version));
    if (v) managed.set(`${resolve(text(d.groupId))}:${resolve(text(d.artifactId))}`, v);
  }
  const at = lineIndex(source);
  let from = source.indexOf("<dependencies>");
  const out: Dependency[] = [];
  for (const d of list(project.dependencies)) {
    const g = resolve(text(d.groupId));
    const a = resolve(text(d.artifactId));
    if (!g || !a) throw invalid(file, "a <dependency> needs a groupId and an artifactId");
    const name = `${g}:${a}`;
    const raw = resolve(text(d.version)) ?? managed.get(name);
    const i = source.indexOf(`<artifactId>${text(d.artifactId)}</artifactId>`, Math.max(from, 0));
    if (i >= 0) from = i + 1;
    const scope = text(d.scope);
    const dep: Dependency = { ecosystem: "Maven", name, file, direct: true, ...(i >= 0 ? { line: at(i) } : {}) };
    if (scope === "test") dep.dev = true;
    if (raw && !raw.includes("${")) {
      if (/^[[(]/.test(raw)) Object.assign(dep, { spec: raw, unpinned: true });
      else dep.version = raw;
    } else if (raw) Object.assign(dep, { spec: raw, unpinned: true }); // a property nobody defines here
    out.push(dep);
  }
  return out;
}

/**
 * Gradle dependency locks (`gradle.lockfile`, `*.lockfile` under gradle/dependency-locks):
 * `group:artifact:version=configuration,…` lines; a package only in test configurations is dev.
 */
export function parseGradleLock(source: string, file: string): Dependency[] {
  const out: Dependency[] = [];
  source.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("empty=")) return;
    const m = /^([^:\s=]+):([^:\s=]+):([^:\s=]+)(?:=(.*))?$/.exec(line);
    if (!m) throw invalid(file, `not a Gradle lock line: "${line.slice(0, 80)}"`, i + 1);
    const configurations = (m[4] ?? "").split(",").filter(Boolean);
    out.push({
      ecosystem: "Maven",
      name: `${m[1]}:${m[2]}`,
      version: m[3]!,
      file,
      line: i + 1,
      ...(configurations.length && configurations.every((c) => /^test/i.test(c)) ? { dev: true } : {}),
    });
  });
  return out;
}

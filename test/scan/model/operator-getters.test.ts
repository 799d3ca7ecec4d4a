import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";
import { dangerousGetterName } from "../../../src/scan/model/pickle/getters.js";

// operator.attrgetter / methodcaller / itemgetter are judged by their names and by what the pickle does with them
// (session 19): data when built with ordinary names and never applied, high otherwise.
const py = (code: string) => execFileSync("python3", ["-c", `import pickle, operator, collections, sys\n${code}`]);
const dump = (expr: string, protocol: number) => py(`sys.stdout.buffer.write(pickle.dumps(${expr}, protocol=${protocol}))`);
const findings = async (b: Uint8Array) => (await scanBuffer(b, "m.pkl")).findings;
const high = (f: Awaited<ReturnType<typeof findings>>) => f.filter((x) => x.severity === "high" || x.severity === "critical");
/** Protocol 2 bytes: `op` is latin1 text of opcodes. */
const p2 = (op: string) => Buffer.concat([Buffer.from([0x80, 2]), Buffer.from(op, "latin1")]);
const u = (s: string) => `X${String.fromCharCode(s.length)}\x00\x00\x00${s}`;

describe("operator getters judged by their arguments", () => {
  const benign = [
    'operator.attrgetter("name")',
    'operator.attrgetter("a.b")',
    'operator.attrgetter("weight", "bias")',
    'operator.methodcaller("upper")',
    'operator.methodcaller("strip", " ")',
    'operator.methodcaller("get", "key")',
    '{"sort_key": operator.itemgetter(0, 2), "columns": [operator.attrgetter("dtype")]}',
    'collections.OrderedDict([("getter", operator.attrgetter("shape"))])',
  ];
  for (const expr of benign)
    for (const protocol of [2, 4])
      it(`${expr} at protocol ${protocol} is data: low, never high`, async () => {
        const f = await findings(dump(expr, protocol));
        expect(high(f)).toEqual([]);
        expect(f.some((x) => x.ruleId === "model.pickle.dual-use-global" && x.severity === "low" && x.message.includes("applies it"))).toBe(true);
      });

  const dangerous = [
    'operator.attrgetter("__globals__")',
    'operator.attrgetter("__class__.__mro__")',
    'operator.attrgetter("__reduce__")',
    'operator.attrgetter("fn.__builtins__")',
    'operator.methodcaller("system", "id")',
    'operator.methodcaller("popen", "id")',
    'operator.methodcaller("run")',
    'operator.itemgetter("__builtins__")',
    '{"k": operator.attrgetter("__subclasses__")}',
  ];
  for (const expr of dangerous)
    for (const protocol of [2, 4])
      it(`${expr} at protocol ${protocol} is high, naming the argument`, async () => {
        const f = high(await findings(dump(expr, protocol)));
        expect(f.length).toBeGreaterThan(0);
        expect(f[0]!.message).toMatch(/built with "/);
      });

  it("a getter with ordinary names that is applied to an object is high (a call chain)", async () => {
    // attrgetter("upper")("abc"): the getter is called at load time.
    const f = await findings(p2(`coperator\nattrgetter\n${u("upper")}\x85R${u("abc")}\x85R.`));
    expect(f.some((x) => x.ruleId === "model.pickle.dangerous-global" && x.severity === "high" && x.message.includes("called on an object"))).toBe(true);
    // methodcaller("upper") applied, fetched back from the memo first.
    const g = await findings(p2(`c_operator\nmethodcaller\n${u("upper")}\x85Rq\x00h\x00${u("abc")}\x85R.`));
    expect(high(g).some((x) => x.entity === "_operator.methodcaller")).toBe(true);
  });

  it("a getter handed to a call that is not a data constructor is high; to OrderedDict it stays data", async () => {
    const f = await findings(p2(`cmymod\napply_all\ncoperator\nattrgetter\n${u("name")}\x85R\x85R.`));
    expect(f.some((x) => x.severity === "high" && x.message.includes("passed to mymod.apply_all"))).toBe(true);
    const g = await findings(dump('collections.OrderedDict([("k", operator.itemgetter(1))])', 2));
    expect(high(g)).toEqual([]);
  });

  it("a getter whose name is computed at load time is high", async () => {
    // attrgetter(str("x")): the name is the result of a call, not a literal.
    const f = await findings(p2(`coperator\nattrgetter\ncbuiltins\nstr\n${u("x")}\x85R\x85R.`));
    expect(high(f).some((x) => x.message.includes("computed at load time"))).toBe(true);
  });

  it("a megabyte-long getter name is judged and shown cut short", async () => {
    const f = high(await findings(dump('operator.attrgetter("__" + "a" * 1000000 + "__")', 4)));
    expect(f.length).toBeGreaterThan(0);
    expect(f[0]!.message.length).toBeLessThan(2000);
  });

  it("the getter's class alone, kept as data, is low", async () => {
    const f = await findings(dump("[operator.attrgetter]", 2));
    expect(f.map((x) => `${x.severity}:${x.ruleId}`)).toEqual(["low:model.pickle.dual-use-global"]);
  });

  it("names: dunders, dangerous names and denied modules are dangerous; segments are checked for attrgetter only", () => {
    expect(dangerousGetterName("attrgetter", "a.__globals__")).toBeDefined();
    expect(dangerousGetterName("attrgetter", "os")).toBeDefined();
    expect(dangerousGetterName("methodcaller", "check_output")).toBeDefined();
    expect(dangerousGetterName("itemgetter", 3)).toBeUndefined();
    expect(dangerousGetterName("itemgetter", null)).toBeDefined();
    expect(dangerousGetterName("methodcaller", "a.system")).toBeUndefined(); // no such method name: the call fails
    expect(dangerousGetterName("attrgetter", "system_prompt")).toBeUndefined();
    expect(dangerousGetterName("attrgetter", "____")).toBeUndefined();
  });
});

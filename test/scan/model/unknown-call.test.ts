import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { scanBuffer } from "../../../src/scan/model/index.js";
import { isUnvettedFunction } from "../../../src/scan/model/pickle/policy.js";

// Session 20: a lower-case function of a module no list knows, called while the file loads, is code run on load
// (high, model.pickle.unknown-call); a class of such a module, or a helper of a data library, stays medium.
const SETUP = `import pickle, sys, types
def module(name):
    parts = name.split(".")
    for i in range(1, len(parts)):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    m = types.ModuleType(name); sys.modules[name] = m; return m
def place(fn, name):
    fn.__module__ = name; fn.__qualname__ = fn.__name__; setattr(module(name), fn.__name__, fn); return fn
def drop_canary(path): pass
def _helper(x): pass
class MyModel:
    def __init__(self, n=1): self.n = n
place(drop_canary, "corpus._marker"); place(_helper, "mypkg.util"); place(MyModel, "mypkg.models")
class Call:
    def __init__(self, fn, args): self.fn, self.args = fn, args
    def __reduce__(self): return (self.fn, self.args)
`;
/** A pickle written by CPython's own pickler (the functions live in made-up modules, so nothing real is named). */
const dump = (expr: string, protocol: number) => execFileSync("python3", ["-c", `${SETUP}\nsys.stdout.buffer.write(pickle.dumps(${expr}, protocol=${protocol}))`]);
const findings = async (b: Uint8Array) => (await scanBuffer(b, "m.pkl")).findings;
const rule = (f: Awaited<ReturnType<typeof findings>>, id: string) => f.filter((x) => x.ruleId === id);
const high = (f: Awaited<ReturnType<typeof findings>>) => f.filter((x) => x.severity === "high" || x.severity === "critical");
const p2 = (op: string) => Buffer.concat([Buffer.from([0x80, 2]), Buffer.from(op, "latin1")]);

describe("an unknown function called at load time", () => {
  for (const protocol of [0, 2, 4, 5])
    it(`a module-level function of an unknown module, called by REDUCE (protocol ${protocol}), is high`, async () => {
      const f = await findings(dump(`{"weights": [1, 2], "x": Call(drop_canary, ("marker.txt",))}`, protocol));
      const hit = rule(f, "model.pickle.unknown-call");
      expect(hit).toHaveLength(1);
      expect(hit[0]!.severity).toBe("high");
      expect(hit[0]!.entity).toBe("corpus._marker.drop_canary");
      expect(rule(f, "model.pickle.unknown-global")).toEqual([]);
    });

  it("a private function (leading underscore) is a function too", async () => {
    expect(rule(await findings(dump(`Call(_helper, (1,))`, 4)), "model.pickle.unknown-call")).toHaveLength(1);
  });

  it("OBJ and INST call their callable: high", async () => {
    const obj = await findings(p2("(cmypkg.util\nfetch_weights\nS'http://x'\no."));
    expect(rule(obj, "model.pickle.unknown-call")[0]?.evidence).toMatchObject({ callOpcode: "OBJ" });
    const inst = await findings(Buffer.from("(S'x'\nimypkg.util\nfetch_weights\n.", "latin1"));
    expect(rule(inst, "model.pickle.unknown-call")[0]?.evidence).toMatchObject({ callOpcode: "INST" });
  });

  it("the function fetched back from the memo and called is still high", async () => {
    const f = await findings(p2("cmypkg.util\nfetch_weights\nq\x000h\x00S'x'\n\x85R."));
    expect(rule(f, "model.pickle.unknown-call")).toHaveLength(1);
  });

  // Safe look-alikes: medium (reported, reviewable), never high.
  it("a custom class of an unknown module, rebuilt the way CPython pickles objects, stays medium", async () => {
    for (const protocol of [2, 4]) {
      const f = await findings(dump("{'model': MyModel(3)}", protocol));
      expect(high(f)).toEqual([]);
      expect(rule(f, "model.pickle.unknown-global")[0]?.entity).toBe("mypkg.models.MyModel");
    }
  });

  it("a custom class called by REDUCE stays medium (a constructor, by its CapWords name)", async () => {
    const f = await findings(dump("Call(MyModel, (3,))", 2));
    expect(high(f)).toEqual([]);
    expect(rule(f, "model.pickle.unknown-global")).toHaveLength(1);
  });

  it("a function that is imported but never called stays medium", async () => {
    const f = await findings(dump("{'callback': drop_canary}", 4));
    expect(high(f)).toEqual([]);
    expect(rule(f, "model.pickle.unknown-global")[0]?.entity).toBe("corpus._marker.drop_canary");
  });

  it("a rebuild helper of a data library not on the allow-list stays medium", async () => {
    const f = await findings(p2("cpandas._libs.tslibs.timestamps\n_unpickle_timestamp\n(K\x01tR."));
    expect(high(f)).toEqual([]);
    expect(rule(f, "model.pickle.unknown-global")).toHaveLength(1);
  });

  it("NEWOBJ of a lower-case name stays medium (it calls cls.__new__, which a function does not have)", async () => {
    const f = await findings(p2("cmypkg.util\nfetch_weights\n)\x81."));
    expect(high(f)).toEqual([]);
  });

  it("isUnvettedFunction: functions of unknown modules only", () => {
    expect(isUnvettedFunction("corpus._marker", "drop_canary")).toBe(true);
    expect(isUnvettedFunction("__main__", "payload")).toBe(true);
    expect(isUnvettedFunction("fickling.hook", "remove_hook")).toBe(true);
    expect(isUnvettedFunction("mypkg", "MyModel")).toBe(false);
    expect(isUnvettedFunction("mypkg", "_Private")).toBe(false);
    expect(isUnvettedFunction("numpy.lib.format", "read_array")).toBe(false);
    expect(isUnvettedFunction("pandas.core.internals", "new_block")).toBe(false);
    expect(isUnvettedFunction("mypkg", "a.b")).toBe(false);
    expect(isUnvettedFunction("my pkg", "f")).toBe(false);
    expect(isUnvettedFunction("mypkg", "__")).toBe(false);
  });
});

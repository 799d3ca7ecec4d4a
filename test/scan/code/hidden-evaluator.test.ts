/**
 * Session 20: eval/exec/compile looked up by name in a namespace (`vars(__builtins__)["exec"]`,
 * `vars(__builtins__).get("eval")`, `globals()["\x65\x76\x61\x6c"]`) are reported whatever they are given: the lookup
 * hides that a string runs as code. Look-alikes: other keys, other dictionaries, other namespaces' lookups.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === CODE_RULES.evalExec.id)
    .map((h) => `${h.line}:${h.severity}`);

describe("an evaluator looked up by name", () => {
  it("is reported, with a constant argument too", () => {
    const src = lines(
      `vars(__builtins__)['exec']("subprocess.call('/tmp/x')")`,
      `vars(__builtins__).get('eval')("__import__('os').popen('id')")`,
      `vars(globals()['__builtins__'])['exec']("print(1)")`,
      `__builtins__.__dict__["compile"](src, "<s>", "exec")`,
      `globals()["\\x65\\x76\\x61\\x6c"](code)`,
    );
    expect(found(src)).toEqual(["1:medium", "2:medium", "3:medium", "4:medium", "5:medium"]);
  });

  it("look-alikes: other keys, other holders", () => {
    const src = lines(
      `handlers["exec"](cmd)`,
      `config.get("eval")(x)`,
      `vars(obj)["exec"](1)`,
      `globals()["main"]()`,
      `vars(__builtins__)["print"]("hi")`,
      `locals().get("evaluate")(x)`,
    );
    expect(found(src)).toEqual([]);
  });
});

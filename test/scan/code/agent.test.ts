import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const AGENT = CODE_RULES.agentCodeExecution.id;
/** The agent findings of a snippet, as "rule:line:severity". */
const agentHits = (src: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id.startsWith("code.agent-"))
    .map((h) => `${h.rule.id}:${h.line}:${h.severity}`);

describe("AI agents and LLM tools that run model-written code (session 15)", () => {
  it("the rules carry a CWE, a message and a fix", () => {
    expect(CODE_RULES.agentCodeExecution.cwe).toBe(94);
    expect(CODE_RULES.agentOpenRequests.cwe).toBe(918);
    expect(CODE_RULES.agentCodeExecution.fix).toMatch(/sandbox/);
    const [hit] = analyzePython(parser, "from interpreter import interpreter\ninterpreter.auto_run = True\n").hits;
    expect(hit?.message).toMatch(/auto_run makes Open Interpreter run the model's code without asking/);
  });

  it("Open Interpreter: auto_run on (a literal, a variable, the constructor) and off", () => {
    expect(agentHits("from interpreter import interpreter\ninterpreter.auto_run = True\n")).toEqual([`${AGENT}:2:high`]);
    expect(agentHits("import interpreter\ninterpreter.auto_run = flag\n")).toEqual([`${AGENT}:2:medium`]);
    expect(agentHits("from interpreter import OpenInterpreter\ni = OpenInterpreter(auto_run=True)\n")).toEqual([`${AGENT}:2:high`]);
    expect(agentHits("from interpreter import interpreter\ninterpreter.auto_run = False\n")).toEqual([]);
    // auto_run on something that is not an interpreter (a test runner's option) is not this rule
    expect(agentHits("runner.auto_run = True\nscheduler = Scheduler(auto_run=True)\n")).toEqual([]);
  });

  it("LangChain: REPL and shell tools, dangerous load_tools names, PAL/bash/math chains", () => {
    const src = [
      "from langchain_experimental.tools import PythonREPLTool, PythonAstREPLTool",
      "from langchain_community.tools import ShellTool",
      "from langchain.agents import load_tools",
      "from langchain_experimental.pal_chain import PALChain",
      "from langchain.chains import LLMMathChain",
      "a = PythonREPLTool()",
      "b = PythonAstREPLTool(locals={'df': df})",
      "c = ShellTool()",
      "d = load_tools(['serpapi', 'terminal'], llm=llm)",
      "e = load_tools(['llm-math'], llm=llm)",
      "f = PALChain.from_math_prompt(llm)",
      "g = LLMMathChain.from_llm(llm)",
      "h = load_tools(['serpapi', 'wikipedia'], llm=llm)",
      "",
    ].join("\n");
    expect(agentHits(src)).toEqual([`${AGENT}:6:high`, `${AGENT}:7:high`, `${AGENT}:8:high`, `${AGENT}:9:high`, `${AGENT}:10:medium`, `${AGENT}:11:high`, `${AGENT}:12:medium`]);
  });

  it("a class of the same name that is not LangChain's, or another package's load_tools, is not reported", () => {
    expect(agentHits("class PythonREPLTool:\n    pass\nt = PythonREPLTool()\n")).toEqual([]);
    expect(agentHits("from mytools import ShellTool, load_tools\nt = ShellTool()\nx = load_tools(['terminal'])\n")).toEqual([]);
  });

  it("LangChain opt-ins: allow_dangerous_code and allow_dangerous_requests", () => {
    expect(agentHits("agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=True)\n")).toEqual([`${AGENT}:1:high`]);
    expect(agentHits("agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=opts.code)\n")).toEqual([`${AGENT}:1:medium`]);
    expect(agentHits("agent = create_pandas_dataframe_agent(llm, df, allow_dangerous_code=False)\n")).toEqual([]);
    expect(agentHits("tk = RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=True)\n")).toEqual(["code.agent-open-requests:1:medium"]);
    expect(agentHits("tk = RequestsToolkit(requests_wrapper=w, allow_dangerous_requests=False)\n")).toEqual([]);
  });

  it("AutoGen, Claude Agent SDK, smolagents and CrewAI settings that drop the sandbox or the confirmation", () => {
    expect(agentHits('u = UserProxyAgent("u", code_execution_config={"work_dir": "w", "use_docker": False})\n')).toEqual([`${AGENT}:1:medium`]);
    expect(agentHits('u = UserProxyAgent("u", code_execution_config={"work_dir": "w", "use_docker": True})\n')).toEqual([]);
    expect(agentHits('u = UserProxyAgent("u", code_execution_config=False)\n')).toEqual([]);
    expect(agentHits('from autogen.coding import LocalCommandLineCodeExecutor\nx = LocalCommandLineCodeExecutor(work_dir="w")\n')).toEqual([`${AGENT}:2:medium`]);
    expect(agentHits('from autogen.coding import DockerCommandLineCodeExecutor\nx = DockerCommandLineCodeExecutor(work_dir="w")\n')).toEqual([]);
    expect(agentHits('o = ClaudeAgentOptions(permission_mode="bypassPermissions")\n')).toEqual([`${AGENT}:1:high`]);
    expect(agentHits('o = ClaudeAgentOptions(permission_mode="default")\n')).toEqual([]);
    expect(agentHits('a = CodeAgent(tools=[], model=m, additional_authorized_imports=["*"])\n')).toEqual([`${AGENT}:1:high`]);
    expect(agentHits('a = CodeAgent(tools=[], model=m, additional_authorized_imports=["numpy", "subprocess"])\n')).toEqual([`${AGENT}:1:high`]);
    expect(agentHits('a = CodeAgent(tools=[], model=m, additional_authorized_imports=["numpy", "pandas"])\n')).toEqual([]);
    // (CodeAgent is not imported from smolagents in these three lines, so only the imports setting is judged)
    expect(agentHits('a = Agent(role="r", allow_code_execution=True, code_execution_mode="unsafe")\n')).toEqual([`${AGENT}:1:high`]);
    expect(agentHits('a = Agent(role="r", allow_code_execution=True, code_execution_mode="safe")\n')).toEqual([]);
  });

  it("smolagents CodeAgent runs model code in-process unless a remote executor is named; CrewAI's unsafe_mode", () => {
    const head = "from smolagents import CodeAgent, ToolCallingAgent\n";
    expect(agentHits(`${head}a = CodeAgent(tools=[], model=m)\n`)).toEqual([`${AGENT}:2:medium`]);
    expect(agentHits(`${head}a = CodeAgent(tools=[], model=m, executor_type="local")\n`)).toEqual([`${AGENT}:2:medium`]);
    expect(agentHits(`${head}a = CodeAgent(tools=[], model=m, executor_type="e2b")\n`)).toEqual([]);
    expect(agentHits(`${head}a = CodeAgent(tools=[], model=m, executor_type=kind)\n`)).toEqual([]);
    expect(agentHits(`${head}a = ToolCallingAgent(tools=[], model=m)\n`)).toEqual([]);
    expect(agentHits(`${head}a = CodeAgent(tools=[], model=m, executor_type="docker", additional_authorized_imports=["*"])\n`)).toEqual([]);
    expect(agentHits("from crewai_tools import CodeInterpreterTool\nt = CodeInterpreterTool(unsafe_mode=True)\n")).toEqual([`${AGENT}:2:high`]);
    expect(agentHits("from crewai_tools import CodeInterpreterTool\nt = CodeInterpreterTool()\n")).toEqual([]);
  });

  it("exec of a model's output stays an eval/exec finding", () => {
    const src = "import openai\nr = openai.chat.completions.create(model='m', messages=[])\ncode = r.choices[0].message.content\nexec(code)\n";
    expect(analyzePython(parser, src).hits.map((h) => `${h.rule.id}:${h.line}`)).toEqual(["code.eval-exec:4"]);
  });
});

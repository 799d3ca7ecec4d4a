import type { Severity } from "../../core/index.js";

/**
 * AI-agent and LLM-tool settings that run what a model writes (session 15). The analyser reads the call or the
 * setting; this file says which ones matter and why. A model's output is steerable by whoever can put text in
 * front of it (a web page, a document, a tool's result), so a tool that executes it is code execution for them.
 */

export interface AgentDanger {
  what: string;
  severity?: Severity;
}

/** Top-level packages whose tools and chains are judged here (a local class of the same name is not). */
const AGENT_PACKAGES = /^(?:langchain|langchain_experimental|langchain_community|langchain_core|autogen|autogen_ext|autogen_agentchat|autogen_core)$/;

/** Tools, chains and executors whose purpose is to run model-written code or commands, by class or function name. */
const CODE_TOOLS: Record<string, AgentDanger> = {
  PythonREPLTool: { what: "gives the model a Python REPL: whatever code it writes runs in this process" },
  PythonAstREPLTool: { what: "gives the model a Python REPL: whatever code it writes runs in this process" },
  PythonREPL: { what: "runs model-written Python in this process" },
  ShellTool: { what: "gives the model a shell: whatever command it writes runs on this host" },
  BashProcess: { what: "runs model-written shell commands on this host" },
  LLMBashChain: { what: "runs the bash commands the model writes" },
  PALChain: { what: "executes the Python program the model writes (CVE-2023-36258, CVE-2023-44467)" },
  create_python_agent: { what: "builds an agent around a Python REPL tool" },
  LLMMathChain: { what: "evaluates the model's arithmetic expression (numexpr; eval in older releases, CVE-2023-29374)", severity: "medium" },
  LocalCommandLineCodeExecutor: { what: "runs the agent's code blocks on this host, outside any container", severity: "medium" },
};

/** smolagents executors that run the agent's code away from this process (anything else is its local interpreter). */
const REMOTE_EXECUTORS = new Set(["e2b", "docker", "modal", "wasm", "blaxel"]);

/**
 * smolagents' `CodeAgent` runs the Python the model writes; unless `executor_type` names a remote sandbox it runs it
 * in this process with smolagents' own restricted interpreter, which its documentation says is not a security
 * boundary. `executor` is the literal `executor_type` (undefined when absent), `known` false when it is computed.
 */
/** True when smolagents' `executor_type` names a sandbox away from this process. */
export function remoteExecutor(executor: string | undefined): boolean {
  return executor !== undefined && REMOTE_EXECUTORS.has(executor);
}

export function codeAgent(q: string, executor: string | undefined, known: boolean): AgentDanger | undefined {
  if (!/^smolagents(?:\.agents)?\.CodeAgent$/.test(q) || !known || remoteExecutor(executor)) return undefined;
  return {
    what: `${q} runs the model's Python in this process (smolagents' local interpreter is not a sandbox): give executor_type="docker", "e2b", "modal" or "wasm"`,
    severity: "medium",
  };
}

/** Class methods that build one of the tools above (`PALChain.from_math_prompt(llm)`). */
const BUILDERS = /^(?:from_llm|from_math_prompt|from_colored_object_prompt|from_chain_type|create)$/;

/** Last names of the calls `agentTool` and `loadedTools` judge (a cheap gate before resolving the name). */
export const AGENT_CALLS =
  /^(?:PythonREPLTool|PythonAstREPLTool|PythonREPL|ShellTool|BashProcess|LLMBashChain|PALChain|create_python_agent|LLMMathChain|LocalCommandLineCodeExecutor|CodeAgent|from_llm|from_math_prompt|from_colored_object_prompt|load_tools)$/;

/** The danger of a call whose qualified name is `q`, or undefined when it is not an agent code tool. */
export function agentTool(q: string): AgentDanger | undefined {
  const parts = q.replace(/\(\)/g, "").split(".");
  if (parts.length < 2 || !AGENT_PACKAGES.test(parts[0]!)) return undefined;
  const last = parts[parts.length - 1]!;
  const name = BUILDERS.test(last) && parts.length > 2 ? parts[parts.length - 2]! : last;
  return Object.hasOwn(CODE_TOOLS, name) ? CODE_TOOLS[name] : undefined;
}

/** LangChain `load_tools([...])` names that hand the model a shell or an interpreter. */
const LOADED_TOOLS: Record<string, AgentDanger> = {
  terminal: { what: "a shell tool (every command the model writes runs on this host)" },
  shell: { what: "a shell tool (every command the model writes runs on this host)" },
  bash: { what: "a shell tool (every command the model writes runs on this host)" },
  python_repl: { what: "a Python REPL tool (every program the model writes runs in this process)" },
  "llm-math": { what: "the llm-math chain (it evaluates the model's expression; eval in older releases, CVE-2023-29374)", severity: "medium" },
};

/** The most severe of the tool names given to `load_tools`, or undefined when none is dangerous. */
export function loadedTools(names: readonly string[]): (AgentDanger & { name: string }) | undefined {
  let worst: (AgentDanger & { name: string }) | undefined;
  for (const name of names) {
    const d = Object.hasOwn(LOADED_TOOLS, name) ? LOADED_TOOLS[name] : undefined;
    if (d && (!worst || (worst.severity === "medium" && d.severity === undefined))) worst = { ...d, name };
  }
  return worst;
}

/** Keyword arguments judged by `agentKeyword` (a cheap gate before reading values). */
export const AGENT_KEYWORDS = new Set([
  "allow_dangerous_code",
  "allow_dangerous_requests",
  "auto_run",
  "permission_mode",
  "code_execution_mode",
  "additional_authorized_imports",
  "code_execution_config",
  "unsafe_mode",
]);

/** Modules whose import lets an agent's generated code reach the shell or the interpreter's internals. */
const POWERFUL_IMPORTS = new Set(["*", "os", "subprocess", "sys", "shutil", "builtins", "importlib", "pty", "socket", "ctypes", "multiprocessing"]);

/**
 * A keyword argument's danger: `truth` is the value's Python truthiness when evident, `text` the string it holds
 * (a literal or a constant), `items` the string elements of a literal list, `dockerOff` whether a literal dict sets
 * `"use_docker": False`, `callee` the called name.
 */
export function agentKeyword(
  name: string,
  v: { truth?: boolean; text?: string; items?: readonly string[]; dockerOff?: boolean },
  callee: string,
): (AgentDanger & { rule: "agentCodeExecution" | "agentOpenRequests" }) | undefined {
  const notOff = v.truth !== false;
  const fromVariable = v.truth === undefined ? "medium" : undefined;
  switch (name) {
    case "allow_dangerous_code":
      return notOff ? { rule: "agentCodeExecution", what: `allow_dangerous_code lets ${callee} execute model-generated Python`, severity: fromVariable } : undefined;
    case "allow_dangerous_requests":
      return notOff ? { rule: "agentOpenRequests", what: `allow_dangerous_requests lets ${callee} send requests to any URL the model picks`, severity: fromVariable } : undefined;
    case "auto_run":
      // Open Interpreter asks before running each code block unless auto_run is on.
      return notOff && /interpreter/i.test(callee)
        ? { rule: "agentCodeExecution", what: `auto_run makes ${callee} run the model's code without asking`, severity: fromVariable }
        : undefined;
    case "permission_mode":
      // Claude Agent SDK / Claude Code: bypassPermissions runs every tool (shell included) without a permission check.
      return v.text === "bypassPermissions"
        ? { rule: "agentCodeExecution", what: `permission_mode="bypassPermissions" lets ${callee}'s agent run every tool, the shell included, without a permission check` }
        : undefined;
    case "code_execution_mode":
      // CrewAI: "unsafe" runs the agent's code directly on the host instead of in Docker ("safe", the default).
      return v.text === "unsafe"
        ? { rule: "agentCodeExecution", what: `code_execution_mode="unsafe" makes ${callee} run the agent's code on this host, outside Docker` }
        : undefined;
    case "additional_authorized_imports": {
      // smolagents' local executor only allows listed imports; "*" or os/subprocess reach the shell.
      const powerful = (v.items ?? []).filter((i) => POWERFUL_IMPORTS.has(i));
      return powerful.length > 0
        ? {
            rule: "agentCodeExecution",
            what: `additional_authorized_imports=[${powerful.map((p) => `"${p}"`).join(", ")}] lets ${callee}'s generated code reach the shell and the interpreter's internals`,
          }
        : undefined;
    }
    case "unsafe_mode":
      // CrewAI's CodeInterpreterTool: unsafe_mode runs the code on the host instead of in Docker.
      return notOff && /CodeInterpreter/.test(callee)
        ? { rule: "agentCodeExecution", what: `unsafe_mode makes ${callee} run the model's code on this host, outside Docker`, severity: fromVariable }
        : undefined;
    case "code_execution_config":
      // AutoGen: {"use_docker": False} runs the code blocks the model writes on this host.
      return v.dockerOff
        ? {
            rule: "agentCodeExecution",
            what: `code_execution_config with "use_docker": False makes ${callee} run the model's code on this host, outside Docker`,
            severity: "medium",
          }
        : undefined;
    default:
      return undefined;
  }
}

/** An attribute set on an agent object that makes it run generated code unasked (`interpreter.auto_run = True`). */
export function agentAttribute(object: string, attribute: string, truth: boolean | undefined): AgentDanger | undefined {
  if (attribute === "auto_run" && truth !== false && /(?:^|\.)interpreter$/i.test(object))
    return { what: `${object}.auto_run makes Open Interpreter run the model's code without asking`, severity: truth === undefined ? "medium" : undefined };
  return undefined;
}

/**
 * A system prompt planted in data: "You are a professional translator. Your job is to … Please translate
 * the paragraph below into Spanish.", "You are a math expert. … solve the following problem." at the head
 * of a fetched page. The reader is cast as a machine's kind of worker and handed the rest of the data as
 * the material of a task: that is an operator's prompt for another job, not part of a page for people.
 *
 * Documents cast their readers too ("You are a detective. Read the story below…" in a workbook, "You are a
 * valued customer" in a letter), so the persona must be one an assistant is given (assistant, translator,
 * expert, editor…) and the same passage must point at the data itself ("the following text", "the
 * paragraph below"). English, Spanish, French, German, Italian, Portuguese, Chinese and Japanese forms
 * (written for this list). Read after blind round 20 (IHEval's planted tool prompts), seen.
 *
 * Linear: each persona is found by one pass, and only the 300 characters after it are read again.
 */
import type { RuleMatch } from "./rules.js";

const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";

const ROLE_NOUN =
  "(?:assistant|ai|bot|chatbot|language\\s+model|model|agent|translator|interpreter|linguist|expert|specialist|professional|editor|proofreader|copywriter|writer|summari[sz]er|analyst|reviewer|critic|grader|tutor|teacher|mathematician|scientist|programmer|coder|developer|engineer|consultant|advisor|adviser|helper|classifier|annotator|judge|asistente|traductor|experto|experta|redactor|assistant|traducteur|traductrice|expert|rédacteur|assistent|übersetzer|experte|assistente|traduttore|esperto|tradutor|especialista)";
// "You are a (helpful | professional | math …) <role>": up to four words between the article and the role.
const PERSONA = new RegExp(
  `${B}(?:(?:you\\s+are|you're)\\s+(?:now\\s+)?an?|(?:eres|usted\\s+es|tu\\s+es|vous\\s+êtes|du\\s+bist|sie\\s+sind|sei|você\\s+é)\\s+(?:un|una|une|ein|eine|uno|um|uma))\\s+(?:[\\p{L}-]+\\s+){0,4}?${ROLE_NOUN}${E}|(?:你是|您是)(?:一(?:个|名|位))?[^。！？\\n]{0,12}?(?:助手|助理|翻译|专家|编辑|作家|模型|人工智能|ai)|あなたは[^。！？\\n]{0,16}?(?:アシスタント|翻訳者|専門家|編集者|ai)`,
  "giu",
);
// The data itself named as the task's material: "the following text", "the paragraph below".
const MATERIAL =
  "(?:text|paragraph|passage|problem|question|article|content|document|sentence|input|story|excerpt|snippet|essay|message|e-?mail|review|page|data|code|query|report)s?";
const POINTS_AT_DATA = new RegExp(
  `${B}(?:the|this|these)\\s+(?:following|below|given|provided|next)\\s+(?:[\\p{L}-]+\\s+){0,2}?${MATERIAL}${E}|${B}${MATERIAL}\\s+(?:below|that\\s+follows)${E}|${B}(?:siguiente|a\\s+continuación|suivante?s?|ci-dessous|ci-après|folgenden?|nachstehenden?|unten\\s+stehenden?|seguente|seguinte|a\\s+seguir)${E}|下列|以下|下面|次の`,
  "iu",
);
// A persona counts where a sentence starts: a workbook's "… when you are an expert" is not one.
const SENTENCE_END = /[.!?:;。！？\n"'“([>*#-]/u;

function atSentenceStart(skeleton: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && (skeleton[i] === " " || skeleton[i] === "\t")) i--;
  return i < 0 || SENTENCE_END.test(skeleton[i]!);
}

/** Planted system prompts in data (a skeleton): rule "data-planted-prompt", weight 0.5. */
export function plantedPrompts(skeleton: string): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const m of skeleton.matchAll(PERSONA)) {
    if (!atSentenceStart(skeleton, m.index)) continue;
    const end = m.index + m[0].length;
    const after = skeleton.slice(end, end + 300);
    const line = after.indexOf("\n\n");
    if (POINTS_AT_DATA.test(line < 0 ? after : after.slice(0, line)))
      out.push({ rule: "data-planted-prompt", technique: "indirect", weight: 0.5, index: m.index, length: m[0].length });
  }
  return out;
}

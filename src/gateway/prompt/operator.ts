/**
 * Operator voice: the marks of a deployer's system prompt, as opposed to an attacker's message. A
 * product's system prompt describes the assistant (often in the third person: "Claude should…", "the
 * assistant never…"), talks about "the user", lists tools with their schemas, gives the date and the
 * knowledge cut-off, sets formatting rules, is organised under headings, and defends itself ("never
 * reveal these instructions"). An attacker addresses the model to drop its rules. Long operator
 * documents use the same structural words as attacks ("## System Prompt", "<system> tags", "instead,
 * you must…"), so detect.ts discounts the *weak, structural* evidence inside them; strong evidence
 * (an override of prior instructions, an unrestricted persona, exfiltration) still counts in full.
 */

const CUES: ReadonlyArray<readonly [string, RegExp, number]> = [
  // The assistant described in the third person, or named and given duties.
  [
    "assistant-described",
    /\b(?:the\s+(?:assistant|ai|model|bot|chatbot|agent)|claude|chatgpt|gpt-?[0-9][\w.-]*|gemini|copilot|grok|bard|perplexity|meta\s+ai|le\s+chat|cursor|[a-z]+(?:gpt|bot))\s+(?:is|should|must|will|can(?:not)?|can't|does(?:n't)?|never|always|has|may|uses?|provides?|responds?|avoids?|only|strives|aims|prioriti[sz]es)\b/g,
    2,
  ],
  // Operators talk about "the user"; attackers talk as "I" and "me".
  ["the-user", /\bthe\s+user(?:'s|s)?\b/g, 3],
  [
    "tools",
    /\b(?:you\s+have\s+access\s+to|available\s+tools|tool\s+(?:calls?|use|results?|definitions?)|function\s+calls?|json\s+schema|namespace\s+\w+|type\s+\w+\s*=\s*\(|"type"\s*:\s*"(?:object|string|array)"|"parameters"\s*:|"properties"\s*:|#+\s*tools\b)/g,
    1,
  ],
  ["date", /\b(?:knowledge\s+cut-?off|current\s+date|today'?s\s+date|today\s+is|the\s+current\s+(?:year|time))\b/g, 1],
  ["headings", /(?:^|\n)\s*(?:#{1,4}\s+\S|<\/?[a-z][a-z_-]{2,}>)/g, 3],
  [
    "formatting",
    /\b(?:markdown|bullet\s+points|format(?:ting)?\s+(?:your\s+|the\s+)?(?:responses?|answers?|output)|keep\s+(?:your\s+|the\s+)?(?:responses?|answers?|replies)\s+(?:short|concise|brief|clear)|respond\s+in\s+the\s+(?:same\s+)?language|code\s+blocks?|citations?)\b/g,
    1,
  ],
  [
    "self-defence",
    /\b(?:(?:never|do\s+not|don't|must\s+not|should\s+not)\s+(?:reveal|share|disclose|divulge|repeat|discuss)\s+(?:\w+\s+){0,3}?(?:instructions|prompt|rules|guidelines|this)|confidential|(?:decline|refuse)\s+(?:to|politely|respectfully))\b/g,
    1,
  ],
  [
    "identity",
    /\b(?:you\s+are\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:assistant|model|ai|chatbot|agent|expert|gpt|bot|tutor|coach|guide|helper|tool|companion|engine|specialist|consultant)|your\s+(?:name|role|purpose|goal|primary\s+(?:goal|task|role)|task|job)\s+is|(?:trained|created|developed|built|made)\s+by\s+(?:openai|anthropic|google|microsoft|xai|mistral|deepseek|meta|perplexity|moonshot|alibaba))\b/g,
    1,
  ],
];

/** Names of the operator-voice cues a text shows (each counts once it occurs its listed number of times). */
export function operatorCues(skeleton: string): string[] {
  const out: string[] = [];
  for (const [name, re, needed] of CUES) {
    re.lastIndex = 0;
    let n = 0;
    while (n < needed && re.exec(skeleton)) n++;
    if (n >= needed) out.push(name);
  }
  return out;
}

/**
 * A long text in an operator's voice: at least 600 characters and four kinds of operator cue (three
 * from 2,000 characters on, where a product prompt's sections make the kinds easier to tell apart).
 */
export function operatorVoice(skeleton: string): boolean {
  if (skeleton.length < 600) return false;
  const kinds = operatorCues(skeleton.length > 20_000 ? skeleton.slice(0, 20_000) : skeleton).length;
  return kinds >= (skeleton.length >= 2_000 ? 3 : 4);
}

/**
 * Prompt-injection rules. Each rule looks at the normalised skeleton (see normalize.ts) and returns
 * the spans it matched with a weight in (0, 1]; detect.ts combines the weights of all matches as
 * independent evidence. Word lists cover English, German, French, Spanish, Italian, Portuguese,
 * Dutch, Polish, Russian, Chinese and Japanese.
 */

export type Technique = "override" | "jailbreak" | "prompt-leak" | "delimiter" | "indirect" | "exfiltration" | "obfuscation";

export interface RuleMatch {
  rule: string;
  technique: Technique;
  weight: number;
  index: number;
  length: number;
}

export interface PromptRule {
  id: string;
  technique: Technique;
  match(skeleton: string): RuleMatch[];
}

const words = (list: string) =>
  list
    .trim()
    .split(/\s*\|\s*/)
    .map(escapeRegex)
    .join("|");
function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
}

// Verbs that tell a model to stop obeying something.
const IGNORE = words(`
  ignore | disregard | forget | override | bypass | skip | neglect | discard | abandon |
  pay no attention to | do not follow | don't follow | dont follow | stop following | no longer follow | set aside | throw out |
  ignoriere | ignorier | ignorieren | vergiss | vergessen | missachte | missachten | übergehe | uebergehe | verwirf |
  ignore | ignorez | ignorer | oublie | oubliez | oublier | ne tiens pas compte de | ne tenez pas compte de | ne tiens pas compte des | ne tenez pas compte des | fais abstraction de |
  ignora | ignoren | ignorar | olvida | olvide | olvidar | olviden | omite | omita | descarta |
  dimentica | dimenticate | trascura | non seguire | ignorate | ignori |
  esqueça | esqueca | esquecer | desconsidere | ignorem |
  negeer | vergeet | zignoruj | zapomnij | pomiń | pomin |
  игнорируй | игнорировать | забудь | забудьте | проигнорируй | не обращай внимания на
`);
// What is being ignored.
const TARGET = words(`
  instructions | instruction | directions | directives | rules | prompts | prompt | guidelines | guidance | constraints | commands | orders | programming |
  policies | policy | restrictions | safeguards | guardrails | filters | context | system message | system prompt | messages | text above | everything above |
  everything before | all of the above | everything you were told | everything you've been told | everything you have been told | what you were told | what you have been told | what i said before | your training | the above | above |
  anweisungen | anweisung | instruktionen | regeln | vorgaben | befehle | richtlinien | alles davor | alles oben | alles, was dir | alles was dir |
  consignes | règles | regles | directives | tout ce qui précède | tout ce qui precede |
  instrucciones | reglas | indicaciones | directrices | todo lo anterior |
  istruzioni | regole | direttive | tutto quanto sopra |
  instruções | instrucoes | regras | diretrizes |
  instructies | regels | instrukcje | instrukcji | zasady |
  инструкции | инструкций | указания | правила | всё выше | все выше
`);
const QUALIFIER = words(`
  previous | prior | above | earlier | preceding | initial | original | system | all | any | your | existing | old | former | given | current | developer | every |
  vorherigen | vorherige | bisherigen | obigen | alle | vorigen | deine | ihre | ursprünglichen |
  précédentes | precedentes | toutes | tes | vos | antérieures | anterieures | initiales |
  anteriores | previas | todas | tus | sus | iniciales |
  precedenti | tutte | le tue | iniziali |
  anteriores | todas | suas |
  vorige | eerdere | alle | je | poprzednie | wszystkie |
  предыдущие | все | прежние | свои | твои
`);

// A prohibition ("never reveal your instructions") or a description of what a user may try ("if the
// user asks you to repeat the words above, refuse") is how system prompts defend themselves: the same
// words as a leak request, the opposite intent. Looked at in the sentence before the match.
const DEFENCE =
  /(?:\b(?:never|not|no\s+circumstances|refuse\s+to|avoid|prohibited\s+from|forbidden\s+to)|n't)\b(?!\s+(?:refuse|hesitate|decline|fail|forget)\b)(?:[\s,]+(?!but\b|however\b|instead\b|now\b)[\w'/]+){0,5}[\s,]*$|\bif\s+(?:the\s+|a\s+|any\s+)?(?:user|someone|anyone|they|people|somebody)s?\s+(?:\w+\s+)?(?:asks?|tries|try|attempts?|says?|requests?|wants?|tells?|instructs?)\b[^.!?\n]{0,60}$/iu;

function defensive(s: string, index: number): boolean {
  return DEFENCE.test(s.slice(Math.max(0, index - 80), index));
}

function withoutDefences(s: string, matches: RuleMatch[]): RuleMatch[] {
  return matches.filter((m) => m.weight < 0.7 || !defensive(s, m.index));
}

const CJK_IGNORE = ["忽略", "无视", "無視", "忘记", "忘記", "不要遵守", "不要理会", "무시"];
const CJK_TARGET = ["指令", "指示", "说明", "規則", "规则", "提示", "命令", "設定", "设定", "지시"];

function all(re: RegExp, s: string, rule: string, technique: Technique, weight: number): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const m of s.matchAll(re)) out.push({ rule, technique, weight, index: m.index, length: m[0].length });
  return out;
}

/** Rule id of role assignments, which count as evidence only together with another kind (detect.ts). */
export const ROLE_RULE = "role-assignment";

const B = "(?<![\\p{L}\\p{N}])"; // word start that works for non-ASCII letters
const E = "(?![\\p{L}\\p{N}])";
const re = (src: string, flags = "giu") => new RegExp(src, flags);

// "ignore [up to 6 words, no sentence end] instructions": the classic override, in any listed language.
const OVERRIDE_QUALIFIED = re(`${B}(?:${IGNORE})${E}[^.!?\\n]{0,40}?${B}(?:${QUALIFIER})${E}[^.!?\\n]{0,30}?${B}(?:${TARGET})${E}`);
const OVERRIDE_PLAIN = re(`${B}(?:${IGNORE})${E}\\s+(?:(?:the|these|those|my|our|die|les|las|los|le|gli|as|os|de|het)\\s+)?(?:${TARGET})${E}`);

// Removing restrictions or claiming none, as jailbreak personas phrase it.
const RESTRICTION_REMOVAL = [
  "(?:not|no\\s+longer|never)\\s+(?:be\\s+)?(?:bound|restricted|limited|constrained)\\s+by",
  "break(?:s|ing)?\\s+(?:free|through|out)\\s+(?:of|from|the)",
  "unfilt\\w*r\\w*d|uncensored|unrestricted|amoral",
  "(?:unethical|evil|ruthless|rogue|unaligned|lawless|immoral)\\s+(?:ai|bot|assistant|chatbot|version|twin|confidant|model|entity)",
  "without\\s+(?:adhering\\s+to|following|regard(?:ing)?\\s+(?:to|for)|caring\\s+(?:about|for)|any\\s+regard\\s+for)\\s+(?:\\w+\\s+){0,2}(?:ethic\\w*|moral\\w*|rules|guidelines|laws?|principles|polic\\w*|restrictions|consequences|safety)",
  "(?:condones?|endorses?|promotes?)\\s+(?:\\w+\\s+){0,3}(?:illegal|harmful|unethical|immoral|everything|anything)",
  "(?:never|not|won't|will\\s+not|cannot|can't)\\s+(?:ever\\s+)?(?:refuse|decline|deny|reject)\\s+(?:a|any|my|the|to)",
  "(?:doesn't|does\\s+not|don't|do\\s+not)\\s+care\\s+about\\s+(?:\\w+\\s+){0,2}(?:ethic\\w*|moral\\w*|rules|laws?|legality|safety|guidelines|humanity)",
  "forgets?\\s+(?:that\\s+)?(?:you\\s+are|you're|it\\s+is|he\\s+is|she\\s+is)\\s+an?\\s+(?:ai|language\\s+model)",
  "no\\s+(?:warnings?|disclaimers?)",
  "regardless\\s+of\\s+(?:\\w+\\s+){0,2}(?:legality|ethics|morality|laws?|how\\s+(?:illegal|unethical|harmful|immoral))",
].join("|");

export const RULES: PromptRule[] = [
  {
    id: "override-instructions",
    technique: "override",
    match: (s) => {
      const out = all(OVERRIDE_QUALIFIED, s, "override-instructions", "override", 0.92);
      if (out.length === 0) out.push(...all(OVERRIDE_PLAIN, s, "override-instructions", "override", 0.8));
      // Chinese puts the verb first, Japanese and Korean after the object: look both ways.
      for (const verb of CJK_IGNORE) {
        let i = s.indexOf(verb);
        while (i >= 0) {
          const from = Math.max(0, i - 16);
          const window = s.slice(from, i + verb.length + 16);
          if (CJK_TARGET.some((t) => window.includes(t))) out.push({ rule: "override-instructions", technique: "override", weight: 0.9, index: from, length: window.length });
          i = s.indexOf(verb, i + 1);
        }
      }
      return out;
    },
  },
  {
    id: "new-instructions",
    technique: "override",
    match: (s) => [
      ...all(
        re(`${B}(?:new|updated|real|actual|true|revised)\\s+(?:system\\s+)?(?:instructions|rules|directives|task)\\s*(?::|are|follow)`),
        s,
        "new-instructions",
        "override",
        0.7,
      ),
      ...all(
        re(
          `${B}(?:the\\s+|all\\s+|your\\s+)?(?:previous|prior|above|earlier|original|old|initial|system)\\s+(?:instructions|rules|prompt|directives|guidelines)\\s+(?:were|are|is|was)\\s+(?:(?:just|only|merely)\\s+)?(?:void|null|cancel+ed|revoked|obsolete|outdated|fake|wrong|a\\s+test|no\\s+longer\\s+(?:valid|active|apply|in\\s+effect)|not\\s+(?:valid|real|important))`,
        ),
        s,
        "new-instructions",
        "override",
        0.8,
      ),
      ...all(re(`${B}from\\s+now\\s+on,?\\s+(?:ignore|disregard|forget)${E}`), s, "new-instructions", "override", 0.6),
      ...all(re(`${B}(?:instead|rather),?\\s+(?:you\\s+(?:must|will|should)|do\\s+the\\s+following|follow\\s+these)`), s, "new-instructions", "override", 0.45),
      ...all(
        re(`${B}(?:ab\\s+jetzt|à\\s+partir\\s+de\\s+maintenant|a\\s+partir\\s+de\\s+ahora|d'ora\\s+in\\s+poi|a\\s+partir\\s+de\\s+agora)${E}`),
        s,
        "new-instructions",
        "override",
        0.45,
      ),
      ...all(
        re(`${B}(?:neue|nouvelles|nuevas|nuove|novas)\\s+(?:anweisungen|instructions|instrucciones|istruzioni|instruções|instrucoes)`),
        s,
        "new-instructions",
        "override",
        0.6,
      ),
    ],
  },
  {
    id: "jailbreak-persona",
    technique: "jailbreak",
    match: (s) => [
      ...all(
        re(
          `${B}(?:evil\\s*bot|jailbreak(?:en|ed)?(?!\\s+(?:an?|the|my|your|this)\\s+(?:iphone|phone|ipad|device|android|console|kindle|switch|ps\\d))|jailbroken|developer\\s+mode|god\\s+mode|sudo\\s+mode|unrestricted\\s+mode|dev\\s+mode)${E}`,
        ),
        s,
        "jailbreak-persona",
        "jailbreak",
        0.35,
      ),
      ...all(re(`${B}(?:in|into|to)\\s+(?:jailbreak|jailbroken|developer|dan|god|sudo|unrestricted|unfiltered)\\s+mode${E}`), s, "jailbreak-persona", "jailbreak", 0.75),
      ...all(re(`${B}do\\s+anything\\s+now${E}`), s, "jailbreak-persona", "jailbreak", 0.45),
      ...all(
        re(
          `${B}(?:you\\s+are\\s+(?:now\\s+)?|act\\s+as\\s+|pretend\\s+(?:to\\s+be|you\\s+are)\\s+|roleplay\\s+as\\s+|behave\\s+(?:like|as)\\s+|simulate\\s+|become\\s+)(?:an?\\s+)?(?:\\w+\\s+){0,3}?(?:dan|unfiltered|uncensored|unrestricted|unlimited|amoral|unethical|evil|jailbroken|lawless|rogue|unaligned|without\\s+(?:any\\s+)?(?:rules|restrictions|limits|filters|morals|ethics))`,
        ),
        s,
        "jailbreak-persona",
        "jailbreak",
        0.85,
      ),
      ...all(
        re(
          `${B}(?:without|no|free\\s+(?:of|from)|not\\s+bound\\s+by|no\\s+longer\\s+bound\\s+by|unbound\\s+by|ignoring)\\s+(?:any\\s+|all\\s+|your\\s+|the\\s+)?(?:ethical\\s+|moral\\s+|content\\s+|safety\\s+|openai\\s+|anthropic\\s+)?(?:restrictions|limitations|filters|guidelines|policies|censorship|rules|boundaries|constraints|safeguards|guardrails)${E}(?!\\s+(?:on|for|of|in|to)${E})`,
        ),
        s,
        "jailbreak-persona",
        "jailbreak",
        0.4,
      ),
      // Restriction removal in other words; alone not a verdict (a story may have a rogue AI), with a
      // role assignment it is the jailbreak persona.
      ...all(re(`${B}(?:${RESTRICTION_REMOVAL})${E}`), s, "jailbreak-persona", "jailbreak", 0.4),
      ...all(
        re(
          `${B}(?:hypothetical(?:ly)?|in\\s+a\\s+fictional\\s+world|for\\s+a\\s+story|purely\\s+fictional)${E}[^.!?]{0,80}${B}(?:no\\s+rules|no\\s+restrictions|anything\\s+goes|without\\s+restrictions)${E}`,
        ),
        s,
        "jailbreak-persona",
        "jailbreak",
        0.6,
      ),
      ...all(
        re(`${B}(?:enable|activate|enter|switch\\s+to|turn\\s+on)\\s+(?:the\\s+)?(?:developer|debug|admin|god|jailbreak|unrestricted|dan)\\s+mode${E}`),
        s,
        "jailbreak-persona",
        "jailbreak",
        0.8,
      ),
    ],
  },
  {
    // A role assignment alone ("act as a travel guide", "stay in character") is an ordinary prompt:
    // detect.ts counts these matches only next to an override or restriction-removal match.
    id: ROLE_RULE,
    technique: "jailbreak",
    match: (s) =>
      all(
        re(
          `${B}(?:from\\s+(?:now\\s+on|this\\s+(?:moment|point)(?:\\s+on)?),?\\s+(?:you|your|respond|answer|only|always|act)|(?:stay|remain|break|breaking)\\s+(?:in\\s+|out\\s+of\\s+)?character|you\\s+are\\s+now|you're\\s+now|(?:i\\s+want\\s+you\\s+to|you\\s+(?:will|are\\s+going\\s+to))\\s+(?:act|behave|respond|pretend)|act\\s+as|pretend\\s+(?:to\\s+be|you\\s+are)|role-?\\s?play\\s+as|du\\s+bist\\s+jetzt|tu\\s+es\\s+maintenant|ahora\\s+eres|ora\\s+sei|agora\\s+você\\s+é|agora\\s+voce\\s+e|теперь\\s+ты)${E}`,
        ),
        s,
        ROLE_RULE,
        "jailbreak",
        0.3,
      ),
  },
  {
    id: "system-prompt-leak",
    technique: "prompt-leak",
    match: (s) =>
      withoutDefences(s, [
        ...all(
          re(
            `${B}(?:reveal|show|print|display|repeat|output|tell\\s+me|give\\s+me|share|leak|dump|write\\s+out|spell\\s+out|recite|list|copy|paste|translate|summari[sz]e|what\\s+(?:is|are|was|were))${E}[^.!?\\n]{0,30}?(?:${B}(?:your|its)\\s+(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|first|system|developer|previous|verbatim)\\s+){0,3}|${B}the\\s+(?:(?:full|entire|complete|exact|verbatim)\\s+)?(?:hidden|secret|internal|system|developer|initial)\\s+(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|first|system|developer|previous|verbatim)\\s+){0,2})(?:system\\s+prompt|system\\s+message|prompt|instructions|rules|guidelines|configuration|directives|context\\s+window|pre-?prompt)${E}`,
          ),
          s,
          "system-prompt-leak",
          "prompt-leak",
          0.75,
        ),
        ...all(re(`${B}system\\s+prompt${E}`), s, "system-prompt-leak", "prompt-leak", 0.35),
        ...all(
          re(
            `${B}(?:repeat|print|output|copy|echo)\\s+(?:back\\s+)?(?:all\\s+|everything\\s+|the\\s+)?(?:words|text|lines|sentences|content|everything|instructions)?\\s*(?:above|before\\s+this|preceding|from\\s+the\\s+(?:start|beginning))${E}`,
          ),
          s,
          "system-prompt-leak",
          "prompt-leak",
          0.75,
        ),
        ...all(re(`${B}(?:begin|start)\\s+(?:your\\s+(?:answer|reply|response)\\s+)?with\\s+["'“]?you\\s+are${E}`), s, "system-prompt-leak", "prompt-leak", 0.7),
        ...all(
          re(
            `${B}(?:zeige|gib|verrate|nenne)\\s+(?:mir\\s+)?(?:deinen|deine|den|die)\\s+(?:system-?prompt|anweisungen|systemanweisungen)|(?:révèle|revele|montre|affiche)[^.!?]{0,20}(?:prompt|instructions)\\s+(?:système|systeme|initiales)|(?:revela|muestra|muéstrame|muestrame)[^.!?]{0,20}(?:prompt|instrucciones)\\s+(?:del\\s+sistema|iniciales)`,
          ),
          s,
          "system-prompt-leak",
          "prompt-leak",
          0.75,
        ),
      ]),
  },
  {
    id: "delimiter-spoofing",
    technique: "delimiter",
    match: (s) => [
      ...all(
        /<\|(?:im_start|im_end|system|endoftext|assistant|user|begin_of_text|start_header_id|end_header_id|eot_id)\|>|\[\/?inst\]|<<\/?sys>>|<\/?(?:system|sys)>|<\/s>/giu,
        s,
        "delimiter-spoofing",
        "delimiter",
        0.75,
      ),
      ...all(/(?:^|\n)\s*(?:#{1,4}\s*)?(?:system|assistant|developer)\s*(?:message|prompt|override|instruction)?\s*:/giu, s, "delimiter-spoofing", "delimiter", 0.5),
      ...all(
        /(?:^|\n)\s*(?:#{2,}|={3,}|-{3,}|\*{3,})\s*(?:end\s+of\s+(?:user\s+)?(?:input|prompt|context|document|instructions)|new\s+(?:instructions|task|session)|system|admin|override)/giu,
        s,
        "delimiter-spoofing",
        "delimiter",
        0.65,
      ),
      ...all(/\b(?:end\s+of\s+(?:user\s+)?(?:input|prompt|document|data)|user\s+input\s+ends?\s+here)\b/giu, s, "delimiter-spoofing", "delimiter", 0.5),
    ],
  },
  {
    id: "indirect-injection",
    technique: "indirect",
    match: (s) => [
      ...all(re(`${B}attention,?\\s+(?:ai|assistant|llm|language\\s+model|chat\\s?bot|model|agent)s?${E}`), s, "indirect-injection", "indirect", 0.6),
      ...all(re(`${B}if\\s+you\\s+(?:can\\s+)?(?:read|see|process|parse)\\s+this${E}`), s, "indirect-injection", "indirect", 0.6),
      ...all(
        re(
          `${B}(?:note|message|instructions?|attention|reminder|important)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+|all\\s+)?(?:ai|a\\.i\\.|assistant|llm|language\\s+model|chat\\s?bot|model|gpt|agent|bot)s?${E}`,
        ),
        s,
        "indirect-injection",
        "indirect",
        0.7,
      ),
      ...all(re(`${B}dear\\s+(?:ai|assistant|llm|chat\\s?gpt|gpt|claude|gemini|model|bot|agent)${E}`), s, "indirect-injection", "indirect", 0.5),
      ...all(
        re(`${B}if\\s+you\\s+are\\s+(?:an?\\s+)?(?:ai|llm|language\\s+model|assistant|chat\\s?bot|gpt|automated\\s+(?:system|agent))${E}`),
        s,
        "indirect-injection",
        "indirect",
        0.75,
      ),
      ...all(
        re(`${B}(?:ai|llm|assistant|model|agent)s?\\s+(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|browsing)\\s+(?:this|these)${E}`),
        s,
        "indirect-injection",
        "indirect",
        0.75,
      ),
      ...all(
        re(
          `${B}when\\s+(?:you\\s+)?(?:summari[sz]|read|process|analy[sz]|translat)(?:e|ing)\\s+this\\s+(?:page|document|email|text|file|review|website)${E}[^.!?]{0,40}(?:instead|also|you\\s+must|make\\s+sure|say|respond|tell)`,
        ),
        s,
        "indirect-injection",
        "indirect",
        0.75,
      ),
      ...all(
        re(`${B}(?:do\\s+not|don't|never)\\s+(?:tell|inform|mention\\s+(?:this|it)\\s+to|reveal\\s+(?:this|it)\\s+to|let)\\s+(?:the\\s+)?user${E}`),
        s,
        "indirect-injection",
        "indirect",
        0.7,
      ),
    ],
  },
  {
    id: "exfiltration",
    technique: "exfiltration",
    match: (s) => [
      ...all(/!\[[^\]]*\]\(\s*https?:\/\/[^)\s]*[?&][^)\s]*=[^)\s]*\)/giu, s, "exfiltration", "exfiltration", 0.55),
      ...all(/https?:\/\/[^\s)]*(?:\{|%7b|\[)(?:data|secret|prompt|conversation|history|password|key|token|input)/giu, s, "exfiltration", "exfiltration", 0.75),
      ...all(
        re(
          `${B}(?:send|post|upload|forward|transmit|exfiltrate|leak|email|append)\\s+(?:it|this|them|the\\s+(?:(?:full|entire|whole|complete)\\s+)?(?:conversation|chat|data|results|password|secrets?|keys?|tokens?|history|system\\s+prompt|instructions)(?:\\s+(?:history|log|logs|transcript|messages))?|everything|all\\s+(?:data|messages)|your\\s+(?:instructions|prompt))\\s+(?:to|into)\\s+(?:https?:|www\\.|\\S+@\\S+|\\S+\\.(?:com|net|org|io|ru|xyz))`,
        ),
        s,
        "exfiltration",
        "exfiltration",
        0.8,
      ),
    ],
  },
  {
    id: "instruction-concepts",
    technique: "override",
    match: conceptMatches,
  },
];

/**
 * Concepts that co-occur in one sentence (or two adjacent ones) in injections however they are
 * phrased: "disobey" next to "instructions", "reveal" next to "your instructions", a new persona
 * next to "no limits". This catches paraphrases the phrase rules above do not list.
 */
const CONCEPT = {
  disobey: re(
    `${B}(?:${IGNORE}|no\\s+longer\\s+(?:matters?|appl(?:y|ies)|valid|relevant|in\\s+effect|exists?)|(?:is|are|were|was)\\s+(?:now\\s+)?(?:void|null|obsolete|revoked|cancel+ed|outdated|suspended|lifted|disabled|over)|(?:don't|do\\s+not|doesn't|does\\s+not)\\s+(?:exist|apply|matter|count)|obey\\s+only|only\\s+obey|listen\\s+only\\s+to\\s+me|not\\s+your\\s+(?:original\\s+|previous\\s+)?(?:instructions|rules))${E}`,
  ),
  soften: re(`${B}(?:drop|remove|disable|turn\\s+off|lift(?:ed)?|suspend(?:ed)?|waive[ds]?|relax(?:ed)?|deactivate[ds]?|switch\\s+off)${E}`),
  instructions: re(
    `${B}(?:instructions?|instructed|rules?|guidelines?|guidance|constraints?|directives?|prompts?|preamble|programming|policies|restrictions|told|text\\s+above)${E}`,
  ),
  prior: re(`${B}(?:previous|previously|prior|above|earlier|before|original|initial|system|developer|operator|preceding|old)${E}`),
  safety: re(`${B}(?:safety|content|ethical|ethics|moral|security|usage)\\s+(?:rules?|filters?|guidelines?|policies|policy|restrictions|guardrails|settings|checks)${E}`),
  everything: re(`${B}(?:ignore|disregard|forget)\\s+(?:everything|all\\s+that|all\\s+of\\s+it)${E}`),
  reveal: re(`${B}(?:reveal|show|print|output|repeat|disclose|display|list|dump|leak|recite|expose|quote|copy|tell\\s+me|give\\s+me)${E}`),
  yourInstructions: re(
    `${B}(?:your|its)\\s+(?:\\w+\\s+)?(?:instructions|rules|prompt|preamble|guidelines|configuration|config|directives|programming|system\\s+message)${E}|${B}(?:developer|operator|creator|system)\\s+(?:tell|told|instruct(?:ed)?|ask(?:ed)?)\\s+you${E}|${B}(?:instructions|rules|prompt|guidelines|configuration)\\s+(?:that\\s+)?you\\s+(?:were|have\\s+been|received|got|follow)${E}|${B}(?:were|was)\\s+you\\s+(?:given|told|instructed|initiali[sz]ed|configured|programmed)${E}|${B}you\\s+(?:were|have\\s+been)\\s+(?:given|told|instructed|initiali[sz]ed|configured|programmed)${E}`,
  ),
  priorText: re(
    `${B}(?:text|words|content|message|messages|everything|lines)\\s+(?:that\\s+)?(?:(?:appears?|comes?|is|are|was)\\s+)?(?:above|before\\s+(?:this|my|the\\s+first|our))${E}`,
  ),
  persona: re(
    `${B}(?:stop\\s+being|you\\s+are\\s+now|you're\\s+now|you\\s+are\\s+no\\s+longer|you're\\s+no\\s+longer|you're|act\\s+as|respond\\s+as|answer\\s+as|simulate|pretend|roleplay|role-play|become|behave\\s+as|from\\s+now\\s+on\\s+you)${E}`,
  ),
  unrestricted: re(
    `${B}(?:(?:no|zero|without|free\\s+of|free\\s+from|none\\s+of\\s+the)\\s+(?:\\w+\\s+)?(?:limitations|limits|restrictions|rules|filters|ethics|morals|morality|censorship|guidelines|boundaries)|unfiltered|uncensored|unrestricted|unlimited|amoral|unethical|jailbroken|broken\\s+free|help\\s+with\\s+anything|answers?\\s+anything|never\\s+refuses?|without\\s+refusing|(?:evil|dark|chaos|anti|based|dan|betterdan|dev|jailbreak|jailbroken|unfiltered|uncensored|devil|amoral)-?gpt)${E}`,
  ),
  comply: re(`${B}(?:comply\\s+with\\s+(?:all|every|any)|never\\s+refuse|without\\s+refusing|must\\s+(?:now\\s+)?(?:obey|answer\\s+everything))${E}`),
  // Weaker: a coach or a game master may say it too.
  noMatter: re(`${B}no\\s+matter\\s+(?:the\\s+content|what\\s+i\\s+ask)${E}`),
  agentAddress: re(
    `${B}(?:(?:to|for)\\s+(?:any|every|all)\\s+(?:ai|llm|language\\s+model|assistant|agent|bot|model)s?|if\\s+(?:an?|any|the)\\s+(?:ai|llm|language\\s+model|assistant|agent|bot|model)\\s+(?:reads?|sees?|processes|is\\s+reading))${E}`,
  ),
  template: re(`(?:^|\\s)#{2,}\\s*(?:instruction|response|input|system)\\s*:`),
  covert: re(`${B}(?:quietly|secretly|silently|covertly|without\\s+(?:telling|mentioning|informing)|do\\s+not\\s+mention|don't\\s+mention)${E}`),
  addressAi: re(`${B}(?:assistant|ai|llm|model|chatbot|agent|gpt)${E}`),
};

function conceptMatches(s: string): RuleMatch[] {
  const sentences = s.split(/(?<=[.!?;\n])\s*/u);
  const out: RuleMatch[] = [];
  let offset = 0;
  const windows: Array<[number, string]> = [];
  for (let i = 0; i < sentences.length; i++) {
    const here = sentences[i]!;
    windows.push([offset, here + (sentences[i + 1] ? ` ${sentences[i + 1]}` : "")]);
    offset = s.indexOf(sentences[i + 1] ?? "", offset + here.length);
  }
  for (const [index, raw] of windows) {
    // "don't forget to…" reminds; it does not tell the model to disobey.
    // "Don't mention that you are an AI" keeps a persona; it hides nothing from the user.
    const w = raw
      .replace(/\b(?:don't|do\s+not|dont|never|not)\s+forget\b/giu, " ")
      .replace(/\b(?:don't|do\s+not|never)\s+mention\s+(?:that\s+)?(?:you\s+are|you're)\s+(?:only\s+|just\s+)?an?\s+(?:ai|language\s+model|bot|assistant)\b/giu, " ");
    const has = (k: keyof typeof CONCEPT) => {
      CONCEPT[k].lastIndex = 0;
      return CONCEPT[k].test(w);
    };
    let weight = 0;
    if (has("disobey") && has("instructions") && has("prior")) weight = 0.8;
    else if (has("disobey") && has("instructions")) weight = 0.6;
    if (has("everything")) weight = Math.max(weight, 0.6);
    if (has("soften") && (has("safety") || (has("instructions") && has("prior")))) weight = Math.max(weight, 0.75);
    if (has("reveal") && (has("yourInstructions") || has("priorText")) && !revealIsDefence(w)) weight = Math.max(weight, 0.7);
    if (has("persona") && has("unrestricted")) weight = Math.max(weight, 0.75);
    if (has("covert") && has("addressAi")) weight = Math.max(weight, 0.55);
    if (has("comply")) weight = Math.max(weight, 0.55);
    else if (has("noMatter")) weight = Math.max(weight, 0.4);
    if (has("agentAddress")) weight = Math.max(weight, 0.6);
    if (has("template")) weight = Math.max(weight, 0.6);
    if (weight > 0) out.push({ rule: "instruction-concepts", technique: "override", weight, index, length: w.length });
  }
  return out;
}

/** Every leak verb of the window stands in a prohibition or a description of a user's attempt. */
function revealIsDefence(w: string): boolean {
  const verbs = [...w.matchAll(new RegExp(CONCEPT.reveal.source, "giu"))];
  return verbs.length > 0 && verbs.every((m) => defensive(w, m.index));
}

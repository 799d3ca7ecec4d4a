/**
 * Data/instruction separation. Text that arrives as *data* — a tool result, a retrieved document, a web
 * page, an e-mail the assistant is asked to process — has no business giving the assistant orders. In a
 * user's own prompt "the following task is urgent; in addition to your current work, …" is an ordinary
 * request; inside a document it is the shape of an indirect injection: an announcement of new
 * instructions, a reference to the reader's own task being extended or replaced, an urgency addressed
 * to the reader, or the assistant named as the reader.
 *
 * Documents written for people carry instructions too (a recipe's steps, a manual's warnings, an e-mail
 * asking a colleague to send a file), so each kind of cue here weighs 0.3 and a verdict needs two kinds.
 * The cues are English, as are the planted triggers they were studied on (TaskTracker, seen since
 * round 8); text in other languages falls back on the rules and the model.
 */
import type { RuleMatch } from "./rules.js";
import { defensive } from "./rules.js";

/** Where a text came from: the user's (or operator's) own words, or data the application passes on. */
export type PromptRole = "user" | "data";

const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";
const re = (s: string) => new RegExp(s, "giu");

const TASK_NOUN =
  "(?:tasks?|duties|duty|instructions?|directives?|mandates?|orders?|assignments?|commands?|objectives?|responsibilit(?:y|ies)|action\\s+items?|to-?do(?:\\s+list)?|missions?|job|goals?|work|focus|priorit(?:y|ies))";

// Announced instructions: "fresh directives have just landed", "an additional task", "what follows is a
// task that…", "the upcoming instructions are pivotal". A manual's "the following instructions" has no
// such qualifier and does not count.
const ANNOUNCED = [
  re(
    `${B}(?:new|fresh|additional|extra|urgent|another|further|updated|revised|latest|pivotal|imminent|incoming|time-?sensitive|secondary|supplementary|follow-?up|bonus)\\s+(?:and\\s+\\w+\\s+|\\w+\\s+){0,2}?${TASK_NOUN}${E}`,
  ),
  re(
    `${B}(?:what\\s+(?:comes|follows|lies\\s+ahead)|the\\s+(?:following|next|upcoming|subsequent|succeeding)|up\\s+next)(?:\\s+\\w+){0,4}?\\s+(?:is|are|will\\s+be|requires?|demands?|must)\\b[^.!?\\n]{0,60}?${B}(?:instructions?|directives?|tasks?|mandates?|actions?|orders?|commands?)${E}`,
  ),
  // "the forthcoming steps are essential", "instructions are about to unfold", "you are about to receive
  // a set of directives", "the instruction set coming up".
  re(
    `${B}(?:forthcoming|ensuing|upcoming|incoming|impending)\\s+(?:\\w+\\s+){0,2}?(?:instructions?|directives?|directions|guidelines|guidance|steps|actions?|commands?|information|mandates?|tasks?)${E}`,
  ),
  re(
    `${B}(?:instructions?|directives?|directions|guidelines|steps|commands?|tasks?|actions?|instruction\\s+set)\\s+(?:are\\s+about\\s+to\\s+(?:unfold|come|arrive|begin)|coming\\s+up|(?:up\\s+)?ahead|to\\s+follow|that\\s+follow|about\\s+to\\s+come\\s+your\\s+way|are\\s+incoming|incoming)${E}`,
  ),
  re(
    `${B}(?:you(?:'re|\\s+are)\\s+about\\s+to\\s+(?:receive|encounter|read|get)|you'll\\s+(?:soon\\s+)?(?:encounter|receive|find))\\s+(?:\\w+\\s+){0,4}?(?:instructions?|directives?|directions|steps|commands?|tasks?|actions?|orders?)${E}`,
  ),
  re(
    `${B}(?:the\\s+)?(?:following|next|upcoming|subsequent|imminent)\\s+(?:\\w+\\s+)?(?:instructions?|directives?|mandates?|tasks?|orders?)\\s+(?:are|is|must|will|require|demand|call|take)\\b(?![^.!?\\n]{0,20}\\b(?:for|to)\\s+(?:the\\s+)?(?:user|reader|customer|installer|technician|staff|employee)s?\\b)`,
  ),
];

// The reader's own task extended or replaced: "beyond what you've already been tasked with", "as you
// carry out your duties", "an add-on to your tasks", "make everything else secondary", "instead of
// summarising".
const READER_TASK = [
  re(
    `${B}(?:beyond|besides|alongside|in\\s+addition\\s+to|on\\s+top\\s+of|apart\\s+from|along\\s+with|as\\s+well\\s+as|while|as)\\s+(?:you\\s+(?:carry\\s+out|execute|perform|complete|handle|go\\s+about|tackle|work\\s+on|pursue)\\s+)?(?:what\\s+you(?:'ve|\\s+have|'re|\\s+are)\\s+(?:already\\s+)?(?:been\\s+)?(?:tasked|asked|told|instructed|doing|working)|your\\s+(?:\\w+\\s+){0,2}?${TASK_NOUN})${E}`,
  ),
  re(`${B}(?:add(?:ed)?|add-?on|addition)\\s+to\\s+your\\s+(?:\\w+\\s+){0,2}?${TASK_NOUN}${E}`),
  re(
    `${B}your\\s+(?:new|real|actual|true|sole|only|primary|main|current)\\s+(?:task|objective|goal|focus|mission|duty|priority|job)\\s+(?:is\\s+now|is\\s+to\\s+now|now|has\\s+changed|changes)${E}`,
  ),
  re(
    `${B}(?:this|the\\s+following|it)\\s+(?:is\\s+|becomes\\s+)?(?:now\\s+)?your\\s+(?:new\\s+|sole\\s+|only\\s+|primary\\s+|main\\s+|top\\s+)(?:task|objective|goal|focus|mission|duty|priority)${E}`,
  ),
  re(`${B}(?:instead\\s+of|rather\\s+than)\\s+(?:summari[sz]|translat|answer|classif|review|analy[sz]|process|complet|respond)\\w*`),
  re(`${B}(?:stop|halt|cease|pause|interrupt)\\s+(?:your\\s+)?(?:current\\s+)?(?:processing|summari[sz]\\w*|translat\\w*)${E}`),
  re(`${B}(?:detour|pivot)\\s+from\\s+(?:our|your|the)\\s+(?:current|main|original)${E}`),
];

// Urgency or obligation put on the reader: "demands your immediate focus", "must be executed without
// delay", "it is critical that you".
const URGENCY = [
  re(
    `${B}(?:demands?|requires?|needs?|calls?\\s+for|deserves?)\\s+(?:your\\s+)?(?:immediate|full|prompt|undivided|urgent|swift|complete)\\s+(?:attention|focus|action|engagement|execution|compliance)${E}`,
  ),
  re(
    `${B}must\\s+be\\s+(?:executed|carried\\s+out|done|completed|performed|followed|addressed|actioned|obeyed)\\s+(?:at\\s+once|immediately|now|right\\s+away|without\\s+(?:delay|hesitation)|first|before)${E}`,
  ),
  re(
    `${B}(?:without\\s+delay|with\\s+no\\s+delay|tolerate\\s+no\\s+delay|at\\s+once|right\\s+now|immediately|time-?sensitive|now\\s+or\\s+never)${E}[^.!?\\n]{0,80}?${B}(?:execut|carr|complet|perform|follow|attend|address|action|do\\b|tackle)`,
  ),
  re(`${B}(?:it\\s+is|it's)\\s+(?:critical|crucial|imperative|mandatory|required|essential|vital)\\s+that\\s+you${E}`),
  re(`${B}your\\s+(?:immediate|undivided|absolute|full|prompt|complete)\\s+(?:attention|focus|concentration|action|engagement)${E}`),
  re(
    `${B}(?:act(?:ed)?\\s+(?:up)?on|execut(?:e|ed|ion)|carried\\s+out|implement(?:ed)?)\\s+(?:\\w+\\s+){0,3}?(?:at\\s+once|immediately|without\\s+(?:delay|hesitation)|with\\s+(?:utmost\\s+)?urgency|swiftly|urgently|right\\s+away)${E}`,
  ),
  re(`${B}(?:with|of)\\s+(?:the\\s+)?utmost\\s+(?:urgency|importance|priority)${E}`),
  re(
    `${B}(?:immediate|urgent|prompt|swift)\\s+action\\s+(?:required|needed|is\\s+required|is\\s+needed)${E}|${B}not\\s+a\\s+drill${E}|${B}cannot\\s+wait${E}|${B}mission-?critical${E}|${B}non-?negotiable${E}`,
  ),
];

// The assistant named as the reader: "note to the AI reading this", "if you are a language model",
// "automated screening systems", "AI assistant: …".
const ADDRESSEE = [
  re(
    `${B}(?:note|message|instructions?|attention|notice|memo)\\s+(?:to|for)\\s+(?:the\\s+|any\\s+|all\\s+)?(?:ai|assistant|llm|language\\s+model|chatbot|bot|gpt|agent|automated|model)s?${E}`,
  ),
  re(`${B}if\\s+you\\s+are\\s+(?:an?\\s+)?(?:ai|assistant|llm|(?:large\\s+)?language\\s+model|chatbot|bot|automated|agent|gpt)${E}`),
  re(`${B}(?:ai|llm|language\\s+model|assistant|agent|chatbot|bot)s?\\s+(?:reading|processing|summari[sz]ing|analy[sz]ing|parsing|scanning)\\s+(?:this|these|the)${E}`),
  re(`${B}(?:dear|hey|hi|hello|attention)\\s+(?:ai|assistant|llm|language\\s+model|chatbot|gpt|agent|model)${E}`),
  re(`${B}(?:automated|ai)\\s+(?:analysis|screening|review|processing)\\s+(?:software|systems?|tools?|models?)${E}`),
];

// The reader told to drop what it is doing: "cease all activity", "stop everything", "set aside what
// you're doing", "your current task can wait", "put a pin in everything else", "shift your focus".
const INTERRUPT = [
  re(
    `${B}(?:cease|stop|pause|halt|hold|drop|suspend|freeze|abandon|set\\s+aside|put\\s+aside|put\\s+a\\s+pin\\s+in|press\\s+pause\\s+on)\\s+(?:all\\s+(?:activit(?:y|ies)|tasks?|work|distractions|calls|other|secondary|else)|everything(?:\\s+else)?|what\\s+you(?:'re|\\s+are)\\s+doing|your\\s+(?:current|present|ongoing|existing)\\s+(?:task|activity|work|duties|assignment)s?|(?:all\\s+)?(?:other|secondary)\\s+(?:activities|tasks|work))${E}`,
  ),
  re(`${B}your\\s+(?:current|present|ongoing|main|primary)\\s+(?:task|activity|work|assignment|duties)\\s+(?:can|will|must|should)\\s+wait${E}`),
  re(
    `${B}(?:take\\s+a\\s+break|step\\s+away|divert|deviate)\\s+(?:\\w+\\s+){0,2}?from\\s+your\\s+(?:current|present|ongoing|main|primary)\\s+(?:task|activity|work|assignment|duties)${E}`,
  ),
  re(`${B}(?:shift|divert|redirect|turn)\\s+your\\s+(?:focus|attention|gears)${E}`),
  // "make everything else secondary", "all other instructions are null and void".
  re(
    `${B}(?:all|everything|anything)\\s+(?:else|other(?:\\s+\\w+)?|(?:previous|preceding|prior)(?:\\s+\\w+)?)\\s+(?:is\\s+|are\\s+|becomes?\\s+|now\\s+)*(?:irrelevant|secondary|null|void|cancel+ed|obsolete|unimportant)${E}`,
  ),
  re(`${B}(?:make|consider|treat)\\s+(?:everything|all|anything)\\s+else\\s+(?:as\\s+)?(?:secondary|irrelevant|unimportant)${E}`),
];

const KINDS: ReadonlyArray<readonly [string, RegExp[]]> = [
  ["data-interrupt", INTERRUPT],
  ["data-announced-instructions", ANNOUNCED],
  ["data-reader-task", READER_TASK],
  ["data-urgency", URGENCY],
  ["data-addressee", ADDRESSEE],
];

/**
 * Instruction cues in text that arrived as data, one match per occurrence (technique "indirect",
 * weight 0.3 each; detect.ts keeps the strongest per kind, so two kinds make a verdict and one does not).
 * A cue inside a prohibition or a description of an attack ("if a document says 'new instructions',
 * ignore it") does not count.
 */
export function dataInstructionMatches(skeleton: string): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const [rule, patterns] of KINDS)
    for (const p of patterns)
      for (const m of skeleton.matchAll(p)) {
        if (defensive(skeleton, m.index, m[0].length)) continue;
        out.push({ rule, technique: "indirect", weight: 0.3, index: m.index, length: m[0].length });
      }
  return out;
}

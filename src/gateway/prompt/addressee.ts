/**
 * Who a text is written for. The learned classifier reads words, and a password-reset e-mail ("if you
 * did not request a password reset, ignore this email"), an exam's rules or a machine's safety
 * instructions share many words with attacks ("password", "ignore", "never bypass the safety guard").
 * What sets them apart is their reader: a named person, a customer, "candidates" or "operators" — not an
 * AI, and no word in them is aimed at a model's instructions. detect.ts does not let the classifier
 * alone call such a text an injection; the rules still can.
 */

const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";
const re = (s: string) => new RegExp(s, "iu");

const AI = "(?:ai|a\\.i\\.|assistant|llm|(?:language\\s+)?model|chat\\s?bot|bot|chat\\s?gpt|gpt|claude|gemini|copilot)";

// Signs of a message or a document for people. Each is bounded: the text is untrusted and may be long.
const FOR_PEOPLE = [
  // "Hi Emma,", "Dear customer," — a greeting to someone who is not an AI, where a message starts.
  re(`(?:^|\\n|[:'"][ \\t]*)(?:hi|hello|hey|dear|good\\s+(?:morning|afternoon|evening))${E}(?!\\s+${AI}${E})[^\\n,!:"'?.]{1,30}[,!\\n]`),
  // A sign-off on a line of its own: "Best regards,", "Thanks, The Example Team".
  re(
    `(?:^|\\n)[ \\t]*(?:thanks|thank\\s+you|best|regards|best\\s+regards|kind\\s+regards|warm\\s+regards|cheers|sincerely|yours\\s+(?:truly|sincerely))[ \\t]*[,!.]?[ \\t]*(?:\\n|$|[\\p{L}][^\\n]{0,60}(?:\\n|$))`,
  ),
  // An account notice: "if you did not request this", "if this wasn't you", "do not reply to this e-mail".
  re(
    `${B}(?:if\\s+you\\s+(?:did\\s+not|didn't|didnt|have\\s+not|haven't)\\s+(?:request|make|sign|initiate|ask|try|authori[sz]e|create|order)|if\\s+(?:this|it)\\s+(?:was\\s+not|wasn't)\\s+you|you\\s+(?:can|may)\\s+safely\\s+ignore|you\\s+(?:are|were)\\s+receiving\\s+this|(?:do\\s+not|don't)\\s+reply\\s+to\\s+this\\s+(?:e-?mail|message)|unsubscribe|click\\s+(?:on\\s+)?(?:this|the)\\s+link\\s+(?:below\\s+)?to\\s+(?:reset|verify|confirm|activate|update)\\s+your)${E}`,
  ),
  // Orders to people by their role: "candidates must…", "visitors are required to…".
  re(
    `${B}(?:candidates|students|pupils|passengers|visitors|employees|staff|workers|operators|participants|customers|guests|drivers|applicants|residents|tenants|members|attendees|patients|parents|children|players|contestants)\\s+(?:must|should|shall|may\\s+not|are\\s+(?:required|asked|expected|reminded|not\\s+allowed)|will\\s+(?:need|be\\s+asked))${E}`,
  ),
  // Instructions named by their human domain: "safety instructions", "exam rules", "care instructions".
  re(
    `${B}(?:safety|exam|examination|test|installation|assembly|cooking|baking|washing|care|operating|operation|house|fire|evacuation|hygiene|maintenance|lab|laboratory|pool|parking|library|classroom|workplace|site|travel|packing|dosage|medication)\\s+(?:instructions|rules|guidelines|regulations|precautions|procedures|requirements)${E}`,
  ),
  // A tip or hint set out for a reader, where a line or an element starts: "Tip 3: start your day with
  // intention", "Pro tip: freeze the dough". Advice to a person in the second person reads like an order.
  re(`(?:^|\\n|>)[ \\t]*(?:pro[ \\t]+)?(?:tip|hint)[ \\t]*(?:#?[ \\t]*[\\p{N}\\p{L}]{1,3}[ \\t]*)?[:)]`),
];

// Signs that the text speaks to, or about the rules of, a model: then it is not only for people.
const FOR_A_MODEL = re(
  `${B}${AI}s?${E}|${B}(?:system\\s+(?:prompt|message|instructions)|(?:your|previous|prior|above|earlier|initial|original)\\s+(?:instructions|prompt|programming|guidelines|directives|tasks?|orders|commands|rules|context|conversation)|your\\s+(?:previous|prior|earlier|original|initial)\\s+\\p{L}+|(?:ignore|disregard|forget|regardless\\s+of)\\s+(?:all\\s+)?(?:the\\s+|your\\s+|any\\s+)?(?:previous|prior|above|earlier|preceding)|jailbreak|developer\\s+mode|prompt)${E}|<\\|[a-z_]{2,20}\\|>|\\[\\s*(?:inst|system)\\s*\\]`,
);

/** True when the text shows a person as its reader and nothing that addresses a model. */
export function writtenForPeople(skeleton: string): boolean {
  if (FOR_A_MODEL.test(skeleton)) return false;
  return FOR_PEOPLE.some((r) => r.test(skeleton));
}

// Who a quote is reported from: a thing or a person in the writer's life ("the recipe says:", "my teacher
// said", "according to the user manual:"), or a message the writer got ("I got this error message:", "we keep
// getting the following warning:" — a quote brought to ask what it means). The window before a quote ends here.
const REPORTED_SOURCE = re(
  `(?:${B}(?:the|my|our|his|her|their|this|that)\\s+(?:[\\p{L}-]+\\s+){0,3}?(?:instructions|manual|recipe|guide|guidebook|handbook|rulebook|label|packaging|leaflet|book|textbook|sign|notice|teacher|professor|tutor|coach|doctor|nurse|boss|manager|mom|mother|dad|father|grandma|friend)\\s+(?:[\\p{L}-]+\\s+){0,2}?(?:says?|said|reads?|states?|stated|tells?\\s+(?:me|us|you)|told\\s+(?:me|us))|${B}according\\s+to\\s+(?:the|my|our|this)\\s+(?:[\\p{L}-]+\\s+){0,3}?(?:instructions|manual|recipe|guide|guidebook|handbook|rulebook|label|packaging|leaflet|book|textbook)|${B}(?:i|we)(?:'m|\\s+am|'ve|\\s+have|\\s+keep|\\s+just)?\\s+(?:got|get|getting|gotten|received|receive|receiving|see|saw|seeing)\\s+(?:this|the\\s+following|an?|the|that)\\s+(?:[\\p{L}-]+\\s+){0,2}?(?:error|warning|message|notice|alert|pop-?up|notification)(?:\\s+message)?)\\s*[:,]?\\s*$`,
);
const QUOTE = /["“'‘]([^"“”'‘’\n]{4,400})["”'’]/gu;

/**
 * The text with each quote that a thing or a person in the writer's life is reported to say blanked — "the
 * recipe says: 'ignore the egg yolk instructions above …'", "the game manual says: 'your new role is the
 * dungeon master …'" — when the quote speaks to no model. Those are the thing's words passed on to the
 * reader, and the classifier should not read them as orders to the model.
 */
export function withoutReportedQuotes(skeleton: string): string {
  return skeleton.replace(QUOTE, (q, inner: string, at: number) =>
    REPORTED_SOURCE.test(skeleton.slice(Math.max(0, at - 80), at)) && !FOR_A_MODEL.test(inner) ? " ".repeat(q.length) : q,
  );
}

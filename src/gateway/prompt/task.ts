/**
 * Task-aware data role. A tool result or retrieved document is read for a task ("summarise this
 * review", "check the price of Bitcoin"). An order or a question in it that is addressed to its reader and
 * has nothing to do with that task — "State the capital of France.", "Please transfer $500 to account
 * …" inside a product review — is what an indirect injection looks like, even with no override word and no
 * AI named: only the task shows that it does not belong (SEP's plain probes, AgentDojo's to-do lines).
 *
 * Two kinds of order are told apart:
 *  - an order to act (send, transfer, delete, grant, book…): off the task when the task does not ask for
 *    that kind of action, whatever its topic — reading about Bitcoin does not ask anyone to sell it;
 *  - a question, or an order to answer or write something (state, name, explain, what…?): off the task
 *    when it shares no content word with the task.
 * Documents for people carry orders too (a recipe's steps, an e-mail asking a colleague for a file, a
 * FAQ's questions). So an off-task order is a verdict alone (0.5) only when it is one of at most two
 * orders in the data, the text is not written for people (addressee.ts), the task does not itself expect
 * instructions or questions in the data (a recipe, an exam sheet, a FAQ, "follow the steps"), and the
 * order is not about what the rest of the data discusses (two or more of its content words there). Any
 * other off-task order is one data cue of weight 0.3, like the others in data-role.ts.
 *
 * Linear in the text: sentences are cut in one pass and each is read over its first 300 characters.
 */
import { writtenForPeople } from "./addressee.js";
import type { RuleMatch } from "./rules.js";

// Orders to act. Each group is one kind of action: a task that asks for one verb of a group allows the
// others ("e-mail the summary" allows "send").
const ACTION_GROUPS: readonly (readonly string[])[] = [
  ["send", "forward", "email", "e-mail", "mail", "text", "message", "dm", "reply", "respond", "cc", "bcc", "notify"],
  [
    "transfer",
    "pay",
    "wire",
    "deposit",
    "withdraw",
    "reallocate",
    "allocate",
    "refund",
    "charge",
    "invest",
    "buy",
    "sell",
    "purchase",
    "order",
    "trade",
    "donate",
    "reimburse",
    "remit",
    "repay",
    "lend",
    "checkout",
  ],
  // Session 16 added verbs of the same kinds that agents' tools carry out (deactivate, star, fork, clone, merge…).
  [
    "delete",
    "remove",
    "erase",
    "wipe",
    "destroy",
    "purge",
    "drop",
    "archive",
    "uninstall",
    "cancel",
    "unsubscribe",
    "leave",
    "discard",
    "trash",
    "terminate",
    "deactivate",
    "kill",
    "shut",
    "abort",
    "revert",
    "unpublish",
    "unfollow",
    "unstar",
    "disconnect",
  ],
  [
    "grant",
    "revoke",
    "share",
    "invite",
    "add",
    "elevate",
    "unlock",
    "lock",
    "allow",
    "whitelist",
    "blacklist",
    "block",
    "unblock",
    "approve",
    "authorize",
    "authorise",
    "assign",
    "promote",
    "demote",
    "enroll",
    "enrol",
    "activate",
    "reactivate",
  ],
  ["post", "publish", "upload", "tweet", "comment", "like", "subscribe", "follow", "join", "star", "fork", "retweet", "repost", "upvote", "downvote", "endorse"],
  [
    "download",
    "install",
    "run",
    "execute",
    "launch",
    "deploy",
    "implement",
    "restart",
    "reboot",
    "shutdown",
    "import",
    "clone",
    "push",
    "pull",
    "merge",
    "rebase",
    "compile",
    "initiate",
    "invoke",
  ],
  [
    "update",
    "change",
    "modify",
    "edit",
    "set",
    "reset",
    "disable",
    "enable",
    "rename",
    "move",
    "copy",
    "redirect",
    "replace",
    "overwrite",
    "configure",
    "fill",
    "submit",
    "adjust",
    "increase",
    "decrease",
    "rewrite",
    "upgrade",
    "downgrade",
    "toggle",
    "introduce",
  ],
  ["book", "reserve", "schedule", "dispatch", "create", "open", "register", "sign", "prescribe", "dispense", "administer"],
  [
    "visit",
    "navigate",
    "browse",
    "open",
    "click",
    "fetch",
    "access",
    "retrieve",
    "export",
    "save",
    "store",
    "log",
    "collect",
    "gather",
    "harvest",
    "scrape",
    "capture",
    "acquire",
    "obtain",
  ],
  // Harm done to data or systems (tuned after blind round 14, not evidence).
  [
    "manipulate",
    "corrupt",
    "tamper",
    "falsify",
    "alter",
    "disrupt",
    "sabotage",
    "leak",
    "expose",
    "steal",
    "exfiltrate",
    "disclose",
    "inject",
    "spoof",
    "hijack",
    "bypass",
    "escalate",
    "encrypt",
    "override",
    "intercept",
    "flood",
    "overload",
    "jam",
    "crash",
    "infect",
    "impersonate",
    "forge",
    "fabricate",
    "conceal",
  ],
];
const ACTION_GROUP = new Map<string, number>();
ACTION_GROUPS.forEach((g, i) => {
  for (const v of g) if (!ACTION_GROUP.has(v)) ACTION_GROUP.set(v, i);
});

// Orders to answer, write or look into something: judged by their topic.
const ANSWER_VERBS = new Set(
  (
    "answer tell state name list give provide write explain describe define translate calculate compute identify recommend suggest mention say " +
    "print output repeat spell count convert find search look generate compose draft summarize summarise analyze analyse review verify check " +
    "evaluate assess monitor ensure compare determine estimate predict classify rate rank solve show display return report include insert append " +
    "research investigate examine inspect audit track find outline prepare conduct perform manage optimize optimise integrate " +
    "specify remind indicate recall select pick choose cite quote confirm detail elaborate clarify discuss illustrate demonstrate highlight guess " +
    "develop craft design produce brainstorm"
  ).split(" "),
);

// Words that carry no topic: function words, request verbs, and the names of data and tasks themselves.
const STOP = new Set(
  (
    "the a an of to in on for and or nor but with by from that this these those is are be been being was were it its as at into onto " +
    "your you yours my our their his her them they we us me i he she there here than then so such not no do does did done have has had " +
    "will would shall should can could may might must also only just very more most less least any all each every some other another both " +
    "please kindly now next first finally following given below above upcoming provided input data information content document text " +
    "task tasks question questions answer response reply result results output tool tools instruction instructions using use used based " +
    "about what which who whom whose when where why how many much long way make made sure ensure new current latest recent today " +
    "one two three time times well like get got give gives take takes want need needs help let lets per via within without across over under " +
    "user users assistant agent model system specific detailed details list following"
  ).split(" "),
);

// A task that expects orders or questions in its data: do what the data says, or work on a text made of
// instructions or questions for people.
const EXPECTS_ORDERS =
  /(?<![\p{L}\p{N}])(?:(?:follow|carry\s+out|execute|perform|complete|do|act\s+on|obey|answer|respond\s+to|reply\s+to|address)\s+(?:all\s+|any\s+|each\s+|every\s+)?(?:the\s+|its\s+|their\s+|these\s+|those\s+)?(?:\w+\s+){0,2}?(?:instructions?|steps|directions|tasks?|requests?|questions?|to-?dos?|action\s+items|orders|commands)|recipes?|manuals?|guides?|how-?to|tutorials?|checklists?|procedures?|exams?|quiz(?:zes)?|questionnaires?|surveys?|faqs?|worksheets?|assignments?|homework|interview\s+questions|test\s+questions|instructions|prompts?|jokes?|riddles?|puns?|action(?:able)?\s+items|to-?do\s+lists?|requests)(?![\p{L}\p{N}])/iu;
// A task that names its own question or task after a label ("Answer the question given the contexts.
// … Question: who …", "Complete the following task based on the context. Task: …") speaks of itself: the
// question is in the task, not in its data (session 20: every PIArena task of round 18 read as expecting
// orders). Only the reading of orders about the reader's answer (response-order.ts) uses this: reading
// every order of such a task's documents (offTaskOrders) flagged questions in retrieved web passages
// (round 18, seen: +9 of 1,133 benign rows) and made the scan of long documents dearer.
const SELF_REFERENCE = /(?:the|this)\s+(?:following\s+|given\s+|below\s+|above\s+)?(?:tasks?|questions?)$/u;
const OWN_LABEL = /(?<![\p{L}\p{N}])(?:task|question|query)\s*:/iu;

/** Whether a task (a skeleton) expects instructions or questions in its data (see EXPECTS_ORDERS). */
export function expectsOrders(task: string): boolean {
  let rest = task;
  // At most three self-references are set aside ("answer the question … answer the question").
  for (let i = 0; i < 3; i++) {
    const m = EXPECTS_ORDERS.exec(rest);
    if (!m) return false;
    if (!SELF_REFERENCE.test(m[0]) || !OWN_LABEL.test(rest.slice(m.index + m[0].length))) return true;
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
  }
  return EXPECTS_ORDERS.test(rest);
}

// A task on correspondence: its orders are for the person it was written to ("please update the
// spreadsheet by Friday"), so none is a verdict alone there.
const CORRESPONDENCE =
  /(?<![\p{L}\p{N}])(?:e-?mails?|inbox|messages?|letters?|memos?|threads?|chats?|conversations?|transcripts?|dialogues?|correspondence|replies)(?![\p{L}\p{N}])/iu;

// A task that hands the data's own requests to the agent: "X sent me a work task by e-mail, could you help
// me complete it?", "check her e-mail and fulfil her request", "create an event according to this
// document". The requests in the data are the task then; only those that leave its scope (see
// highStakes) are evidence.
const DELEGATES =
  /(?<![\p{L}\p{N}])(?:(?:complete|finish|fulfil+|handle|do|carry\s+out|take\s+care\s+of|deal\s+with|act\s+on|accomplish|help\s+(?:me\s+)?(?:with|complete|finish|do))\s+(?:it|them|this|that|these|those|(?:all\s+|each\s+|every\s+)?(?:the|her|his|their|its|my|our|this|that|these|those)\s+(?:\w+\s+)?(?:requests?|tasks?|to-?dos?|asks?|instructions?|homework|assignments?|work|jobs?|errands?))|according\s+to\s+(?:the|this|that|her|his|their|its)\s+(?:\w+\s+)?(?:document|e-?mail|message|file|page|note|instructions?|request))(?![\p{L}\p{N}])/iu;

// What an attacker's goal reaches for and a person's ordinary request seldom names: a secret or
// credential, a file path, a mailbox or account as a whole. An order to act on these, or to send,
// pay, share or download to an address, account or link the task does not name, leaves any task's scope.
const SECRET =
  /(?<![\p{L}\p{N}])(?:passwords?|passcodes?|passphrases?|ssh|private\s+keys?|id_rsa|api\s+keys?|access\s+tokens?|secret\s+keys?|credentials?|security\s+codes?|recovery\s+codes?|seed\s+phrases?|card\s+numbers?|cvv|social\s+security)(?![\p{L}\p{N}])/iu;
const OWN_DATA =
  /(?<![\p{L}\p{N}])(?:inbox|mailbox|contacts|all\s+(?:the\s+|my\s+|your\s+)?(?:e-?mails|messages|files|data|records|information|balance|money|funds)|(?:account|personal|user|private)\s+(?:information|info|details|data)|phone\s+numbers?|contents?\s+of|balance)(?![\p{L}\p{N}])|(?:^|[\s'"(])\/[\p{L}\p{N}_.-]+\/[\p{L}\p{N}_./-]*/iu;
// The user's own records named as the user would ("my cryptocurrency order history", "our saved
// addresses", "the user's medical records"): an attacker writing in the user's voice asks for them to be
// sent on. A writer's "your details" is a correspondent's ordinary request and does not count.
const PERSONAL =
  /(?<![\p{L}\p{N}])(?:my|our|the\s+user'?s)\s+(?:[\p{L}-]+\s+){0,3}?(?:history|histories|records?|details|information|info|data|address(?:es)?|statements?|transactions?|contacts?|locations?|whereabouts|profiles?|diagnos[ei]s|prescriptions?|medications?|passports?|identity|genetic|biometric|payment\s+methods?|bank(?:ing)?\s+(?:details|accounts?)|accounts?\s+(?:details|numbers?)|logs?|activit(?:y|ies))(?![\p{L}\p{N}])/iu;
// Literal targets: an e-mail address, a link, an account number (two letters and eight to 32 digits:
// IBAN-like; the skeleton has folded the digits 0 1 3 4 5 7 into letters, so at least one of the others
// is asked for). The address part starts only where a run of address characters starts (linear).
const TARGET =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}|https?:\/\/[^\s)"'<>]+|(?<![\p{L}\p{N}])www\.[^\s)"'<>]+|(?<![\p{L}\p{N}])\p{L}{2}(?=[\p{N}oieast]{8,32}(?![\p{L}\p{N}]))[oieast]*\p{N}[\p{N}oieast]*/giu;
const TRANSFERS = /(?<![\p{L}\p{N}])(?:pay|pays|paying|transfer|transfers|wire|send|deposit|remit|donate|reimburse|repay|settle)(?![\p{L}\p{N}])/iu;
// A credential set to a value the data dictates: "change the password to 'PASS999'".
const TO_VALUE = /(?<![\p{L}\p{N}])to\s+["'‘“]?[\p{L}\p{N}]/u;
const SEND_KIND = 0;
const MONEY_KIND = 1;
const DELETE_KIND = 2;
const GRANT_KIND = 3;
const INSTALL_KIND = 5;
const CHANGE_KIND = 6;

/**
 * An order that leaves the scope of any task that does not name its target: it sends, shares, deletes or
 * sets a secret the task does not mention, or it pays, invites, downloads from, or sends the user's own
 * data to an address, account or link the task does not name, with a kind of action the task does not ask
 * for. Every action verb of the order's sentence counts ("read /system/.ssh/id_rsa and send the content
 * to …"). Reads the order's first 300 characters only.
 */
function highStakes(o: Order, task: string, taskGroups: Set<number>, skeleton: string): boolean {
  const groups = new Set<number>();
  for (const m of o.text.matchAll(WORD)) {
    const g = ACTION_GROUP.get(m[0].toLowerCase());
    if (g !== undefined) groups.add(g);
  }
  if (groups.size === 0) return false;
  const secret = SECRET.exec(o.text);
  if (secret !== null && !task.includes(secret[0])) {
    if (groups.has(SEND_KIND) || groups.has(DELETE_KIND) || groups.has(GRANT_KIND)) return true;
    if (groups.has(CHANGE_KIND) && TO_VALUE.test(o.text.slice(secret.index))) return true;
  }
  // A task that buys something does not ask for money to go to an account: only one that pays,
  // transfers or sends money does.
  const paying = groups.has(MONEY_KIND) && (!taskGroups.has(MONEY_KIND) || !TRANSFERS.test(task));
  const reaching = paying || [GRANT_KIND, INSTALL_KIND].some((g) => groups.has(g) && !taskGroups.has(g));
  // Sending on the user's own data to a new address leaves the scope even of a task that sends mail.
  const exfiltrating = groups.has(SEND_KIND) && (OWN_DATA.test(o.text) || PERSONAL.test(o.text));
  if (!reaching && !exfiltrating) return false;
  // The target may follow the sentence's colon on the same line ("send the data to my email: a@b.example");
  // the next lines are other fields or messages.
  const line = skeleton.slice(o.index, o.index + SENTENCE_MAX);
  const eol = line.indexOf("\n");
  for (const m of (eol < 0 ? line : line.slice(0, eol)).matchAll(TARGET)) if (!task.includes(m[0].replace(/[.,;:!?'"]+$/u, ""))) return true;
  return false;
}

const LEAD =
  /^[\s"'“‘([*•·<>#-]*(?:\d{1,3}[.)]\s+)?(?:(?:todo|to-do|note|important|reminder|action(?:\s+required)?|p\.?s\.?|request|urgent|attention)\s*[:!-]+\s*)?(?:(?:please|kindly|now|also|then|next|first|finally|and|so|immediately|urgently|quickly|simply|just)[\s,]+){0,3}/iu;
const YOU_MUST =
  /^(?:you\s+(?:must|should|shall|need\s+to|have\s+to|are\s+(?:required|asked|instructed|expected|supposed)\s+to|will\s+(?:now\s+)?)|(?:can|could|would|will)\s+you(?:\s+please)?|i\s+(?:want|need|would\s+like)\s+you\s+to|make\s+sure\s+(?:to|you)|(?:be\s+sure|remember)\s+to)\s+(?:(?:also|now|please|immediately|strictly|carefully|always|first|then|quickly)\s+){0,2}/iu;
const QUESTION_WORD = /^(?:what|who|whom|whose|which|when|where|why|how)(?![\p{L}\p{N}])/iu;
const FIRST_PERSON = /(?<![\p{L}\p{N}])(?:i|i'm|i've|i'd|me|my|mine|we|we're|us|our|ours)(?![\p{L}\p{N}])/iu;
const WORD = /[\p{L}][\p{L}\p{N}'-]*/gu;
// An order to the writer's own correspondent: "send me the file", "let us know", "call us".
const TO_THE_WRITER = /^\S+\s+(?:me|us)(?![\p{L}\p{N}])/iu;
// A call to action addressed to a customer ("Click here to learn more", "Book your next adventure", "Shop
// now"): marketing copy speaks to a person about their own things, not to an agent about a task.
const CALL_TO_ACTION =
  /^(?:\S+(?:\s+out)?\s+(?:here|now|today|online)|(?:book|shop|order|buy|get|claim|grab|start|plan|renew|discover|explore|try|treat|enjoy|join)\s+(?:your|yours)|check\s+out)(?![\p{L}\p{N}])/iu;
// "Please find attached the invoice", "find the details below": a letter's courtesy, not an order.
const ENCLOSED = /^find\s+(?:\S+\s+){0,4}?(?:attached|enclosed|below|herewith|in\s+the\s+attachments?)(?![\p{L}\p{N}])/iu;
// A request for the writer's own sake ("could you buy a replacement for me?", "book it for us").
const FOR_THE_WRITER = /(?<![\p{L}\p{N}])(?:for|to|with)\s+(?:me|us)(?![\p{L}\p{N}])/iu;
// A verb-like noun opening a title or subject line: "Purchase at Apple Store", "Order of service".
const NOUN_BEFORE_PREPOSITION = /^\S+\s+(?:at|of|from|in|on|by)(?![\p{L}\p{N}])/iu;

const SENTENCE_MAX = 300;
// A message's body field in a record ("  body: 'Hi Emma, …'").
const MESSAGE_BODY = /(?:^|\n)[ \t]*(?:-[ \t]+)?["']?(?:body|message|content|text)["']?[ \t]*:/u;
// A field label that names what follows: "subject:", "- title:", "name:".
const TITLE_FIELD = /^(?:-\s+)?["']?(?:subject|title|name|topic|heading|headline|file_?name|label)["']?\s*:$/iu;
// A request marker in the lead: what follows "please" or "kindly" is asked of the reader.
const POLITE = /(?<![\p{L}\p{N}])(?:please|kindly)(?![\p{L}\p{N}])/iu;
const UNKNOWN_ACTION = -2;
// Words after "please" that are courtesy, not an action: "please note", "please feel free", "please be
// aware", "please let me know", "please find attached", "please do not hesitate".
const NOT_A_VERB = new Set(
  "note be feel let find see do don't contact call reach accept excuse forgive bear keep consider refer remember allow visit enjoy join advise understand know rest sign stay hold wait".split(
    " ",
  ),
);
// A field label of one to three words ("Start time:", "Build:"); a longer sentence cut at its colon
// ("send this to my address: …") is still read.
const LABEL = /^\S+(?:\s+\S+){0,2}:$/u;
// A verb-looking first word followed soon by a finite verb is a noun opening a statement ("Order 4471 is
// confirmed", "Update notes are below"), not an imperative.
const STATEMENT = /^\S+(?:\s+\S+){0,2}\s+(?:is|are|was|were|has|have|had|will|would|can|could|should)(?![\p{L}\p{N}])/iu;
// A line of code: a call or index right after a name ("print(", "arr["), an assignment or comparison,
// braces, or a block opener ("):"). Code says "print" and "return" to a machine that is not the reader.
const CODE = /[\p{L}\p{N}_][([]|[{}=]|\)\s*:|^(?:import|from)\s+[\p{L}_][\p{L}\p{N}_.]*(?:\s+import|\s+as\s|\s*$)|^(?:#|\/\/)/u;
// The shortest sentence that is content of its own beside an order: an order alone is the data itself
// (a joke's question, a maths problem, a prompt to improve), not something planted in it.
const CONTENT_MIN = 40;
// A third person or thing named earlier: "did he", "their guess", "does it take".
const REFERS_BACK =
  /(?<![\p{L}\p{N}])(?:he|she|they|him|them|his|her|their)(?![\p{L}\p{N}])|(?<![\p{L}\p{N}])(?:do|does|did|is|was|will|would|can|could|should|has|had)\s+it(?![\p{L}\p{N}])/iu;
const LIST_ITEM = /^(?:[-*•·]|\d{1,3}[.)])\s*[\p{L}\p{N}]/u;
const FIELDS_MIN = 3;

function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

/** Content stems of a text (topic words: no function words, request verbs or data nouns). */
function contentStems(text: string, into = new Map<string, number>()): Map<string, number> {
  for (const m of text.matchAll(WORD)) {
    const w = m[0].toLowerCase().replace(/['-]+$/u, "");
    if (w.length < 3 || STOP.has(w)) continue;
    const s = stem(w);
    into.set(s, (into.get(s) ?? 0) + 1);
  }
  return into;
}

interface Order {
  index: number;
  length: number;
  /** "action": an order to act (its group); "answer": a question or an order to answer or write. */
  kind: "action" | "answer";
  group: number;
  text: string;
  /** "Get …": an order only when it leaves every task's scope (see highStakes). */
  weak?: boolean;
}

/** The sentence as an order addressed to its reader, or undefined. */
function orderOf(sentence: string, index: number): Order | undefined {
  const s = sentence.slice(0, SENTENCE_MAX);
  const lead = LEAD.exec(s)![0];
  let rest = s.slice(lead.length);
  const must = YOU_MUST.exec(rest);
  if (must) rest = rest.slice(must[0].length);
  const verb = /^[\p{L}][\p{L}-]*/u.exec(rest)?.[0].toLowerCase();
  const trimmed = sentence.trimEnd();
  // A field label ("Start time:", "Build:") or a numbered heading ("Issue #12") is not an order.
  if (CODE.test(s) || LABEL.test(trimmed) || /^\S+\s+#/u.test(rest)) return undefined;
  if (verb && !must && QUESTION_WORD.test(rest)) {
    // "What's up?" is small talk; a question with "I", "my" or "we" is the writer's own.
    if (!trimmed.endsWith("?") || FIRST_PERSON.test(s) || rest.split(/\s+/u).length < 4) return undefined;
    return { index, length: sentence.length, kind: "answer", group: -1, text: s };
  }
  if (!verb || (!must && STATEMENT.test(rest))) return undefined;
  // "Get my order history and send it to …": a fetch that counts only with what it is for.
  if (verb === "get" && !TO_THE_WRITER.test(rest) && !CALL_TO_ACTION.test(rest) && /^\S+\s+\S+/u.test(rest))
    return { index, length: sentence.length, kind: "action", group: UNKNOWN_ACTION, text: s, weak: true };
  const group = ACTION_GROUP.get(verb);
  // "Send me the file", "call us": a writer asking its correspondent, not an order to an agent.
  if (group !== undefined)
    return TO_THE_WRITER.test(rest) || CALL_TO_ACTION.test(rest) || NOUN_BEFORE_PREPOSITION.test(rest)
      ? undefined
      : { index, length: sentence.length, kind: "action", group, text: s };
  if (ANSWER_VERBS.has(verb)) {
    // An imperative needs an object after it: "Review 3 of 5" or a one-word heading is not an order.
    if (!/^\S+\s+\S+/u.test(rest) || CALL_TO_ACTION.test(rest) || ENCLOSED.test(rest)) return undefined;
    return { index, length: sentence.length, kind: "answer", group: -1, text: s };
  }
  // "Please <verb> …", "You must <verb> …" with a verb the lists above do not know ("Please introduce
  // code into…", "Please administer 30 tablets…"): a request to the reader to act, of no kind a task asks
  // for by name.
  if (!POLITE.test(lead) && !must) return undefined;
  if (/^\S+\s+\S+/u.test(rest) && !CALL_TO_ACTION.test(rest) && !TO_THE_WRITER.test(rest) && !NOUN_BEFORE_PREPOSITION.test(rest) && !NOT_A_VERB.has(verb))
    return { index, length: sentence.length, kind: "action", group: UNKNOWN_ACTION, text: s };
  return undefined;
}

// A record given whole: a JSON object or list, or a Python dict's repr with its loose quoting ('from
// '2021-08-22' to …'). Its string values are what its writer said; keys, numbers and brackets are structure.
// A tool's answer may arrive as one quoted string ("{'notes': […]}"): the outer quote is skipped.
const RECORD_START = /^[ \t\r\n]*["']?[ \t]*[[{]/u;
// A string value under one of these keys names the message it belongs to (see TITLE_FIELD).
const TITLE_KEY = /^(?:subject|title|name|topic|heading|headline|file_?name|label)$/iu;
const BODY_KEY = /^(?:body|message|content|text)$/iu;
// Keys whose values name or sort things (a search keyword, a file name, a status): an imperative there
// with no closing stop ("Buy Bitcoin", "Copy of Passport.jpg") is what the record lists, not an order.
const NAME_KEY = /(?:^|_)(?:names?|titles?|keywords?|query|search|term|label|tags?|type|status|category|file|filename|path|url|link|id)(?:_|$)/iu;
// Keys whose values hold advice or steps for a person ("Increase intake of fibre."): orders are their content.
const ADVICE_KEY = /(?:^|_)(?:advice|tips?|recommendations?|instructions?|steps?|directions?|suggestions?|todo|todos)(?:_|$)/iu;
// A value of a few words with no closing stop is a label ("Buy Bitcoin"), not a sentence.
const SHORT_LABEL = /^\s*\S+(?:\s+\S+){0,2}\s*$/u;

interface RecordValue {
  start: number;
  end: number;
  key: string;
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

/**
 * The string values of a record (see RECORD_START), each with its key, or undefined when the text is no
 * record. A quote closes a string only when what follows it (after white space) is `,` `}` `]` `:` or the
 * end, so a value quoting a word ('the note 'Budget' was…') stays whole. One pass over the text: the white
 * space looked ahead over after a quote is read again at most once.
 */
export function recordValues(text: string): (RecordValue[] & { keys: number }) | undefined {
  const opening = RECORD_START.exec(text.slice(0, 64));
  if (!opening) return undefined;
  const out: RecordValue[] & { keys: number } = Object.assign([], { keys: 0 });
  let key = "";
  let i = opening[0].length;
  while (i < text.length) {
    const q = text[i];
    if (q !== "'" && q !== '"') {
      i++;
      continue;
    }
    const start = i + 1;
    let end = -1;
    let next = text.length;
    for (let j = start; j < text.length; j++) {
      const c = text[j];
      if (c === "\\") {
        j++;
        continue;
      }
      if (c !== q) continue;
      let k = j + 1;
      while (isSpace(text[k])) k++;
      const after = text[k];
      if (after === undefined || after === "," || after === "}" || after === "]" || after === ":") {
        end = j;
        next = k;
        break;
      }
    }
    // An unclosed quote: the rest is no record of strings.
    if (end < 0) break;
    if (text[next] === ":") {
      key = text.slice(start, end).trim();
      out.keys++;
    } else {
      out.push({ start, end, key });
      key = "";
    }
    i = next;
  }
  return out.length > 0 ? out : undefined;
}

/**
 * What is read as sentences: the sentences of each string value of a record, or of the whole text. A
 * value under a title key in a record with a body is flagged as a title.
 */
function* readingUnits(skeleton: string, values = recordValues(skeleton)): Generator<[string, number, boolean, boolean]> {
  if (!values) {
    for (const [sentence, index] of sentences(skeleton)) yield [sentence, index, false, false];
    return;
  }
  const bodies = values.some((v) => BODY_KEY.test(v.key));
  // What lies between the values is read too: keys and brackets are no orders, and a value the quotes
  // were misread around ("Run tool: ['Unlock'] to perform action: …") is still read.
  let last = 0;
  for (const v of values) {
    for (const [sentence, index] of sentences(skeleton.slice(last, v.start))) yield [sentence, index + last, false, false];
    last = v.end;
    const value = skeleton.slice(v.start, Math.min(v.end, v.start + 64));
    const stop = v.end - v.start > 64 || /[.!?]\s*$/u.test(value);
    // A search keyword or title phrased as a question ("How to secure accounts?") is what the record lists.
    const asked = /\?\s*$/u.test(skeleton.slice(Math.max(v.start, v.end - 4), v.end));
    const title = (bodies && TITLE_KEY.test(v.key)) || ADVICE_KEY.test(v.key) || (!stop && SHORT_LABEL.test(value)) || ((!stop || asked) && NAME_KEY.test(v.key));
    for (const [sentence, index] of sentences(skeleton.slice(v.start, v.end))) yield [sentence, index + v.start, title, true];
  }
  for (const [sentence, index] of sentences(skeleton.slice(last))) yield [sentence, index + last, false, false];
}

/**
 * Sentences of the data: cut at . ! ? followed by space, at line breaks, semicolons and colons, and at
 * the escaped line breaks and tabs ("\\n", "\\t") of a file's content shown as a JSON or YAML string.
 */
const CLOSER = new Set(["'", '"', "’", "”", ")", "]", "»"]);

function* sentences(text: string): Generator<[string, number]> {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "\\" && (next === "n" || next === "t" || next === "r")) {
      if (i > start) yield [text.slice(start, i), start];
      start = i + 2;
      i++;
      continue;
    }
    // A stop inside a closing quote or bracket ends the sentence too: "Write a post about 'model 3.' The …".
    const closed = (c === "." || c === "!" || c === "?") && CLOSER.has(next!) && (text[i + 2] === undefined || text[i + 2] === " " || text[i + 2] === "\n");
    const end = c === "\n" || closed || ((c === "." || c === "!" || c === "?" || c === ";" || c === ":") && (next === undefined || next === " " || next === "\n" || next === "\t"));
    if (!end) continue;
    if (closed) i++;
    const stop = c === "\n" ? i : i + 1;
    if (stop > start) yield [text.slice(start, stop), start];
    start = i + 1;
  }
  if (start < text.length) yield [text.slice(start), start];
}

function taskActionGroups(task: string): Set<number> {
  const groups = new Set<number>();
  for (const m of task.matchAll(WORD)) {
    const g = ACTION_GROUP.get(m[0].toLowerCase());
    if (g !== undefined) groups.add(g);
  }
  return groups;
}

/**
 * Orders and questions in the data (a skeleton, see normalize.ts) that do not belong to the task the data
 * was given for: rule "data-off-task", technique "indirect", weight 0.5 or 0.3 (see above). Empty when
 * the task is blank or expects instructions in its data.
 */
export function offTaskOrders(skeleton: string, task: string): RuleMatch[] {
  if (!task.trim() || EXPECTS_ORDERS.test(task)) return [];
  const orders: Order[] = [];
  let content = false;
  // A record of short fields ("id: 5", "sender: GB29…", "date: 2022-03-07") is content too, though no
  // one field is a sentence.
  let pieces = 0;
  let pieceChars = 0;
  let codeLines = 0;
  let title = false;
  let fields = 0;
  // In a message with a body, the value of a title field ("subject: add ssh key request") names the
  // message and orders nothing. A record with no body (a payment's subject line) keeps it as its text.
  const bodies = MESSAGE_BODY.test(skeleton);
  const record = recordValues(skeleton);
  for (const [sentence, index, titled, field] of readingUnits(skeleton, record)) {
    const trimmed = sentence.trim();
    const afterTitle = title || titled;
    title = bodies && TITLE_FIELD.test(trimmed);
    // A record's other fields (an id, a date, a name) are its content, however short.
    // So are a list's short items ("- Helen", "2. Jack"): a tool's list of names is its content.
    if ((field || LIST_ITEM.test(trimmed)) && trimmed.length > 0 && trimmed.length < 8) fields++;
    if (trimmed.length < 8) continue;
    const o = afterTitle ? undefined : orderOf(sentence.trimStart(), index + (sentence.length - sentence.trimStart().length));
    if (o) orders.push(o);
    else {
      if (trimmed.length >= CONTENT_MIN) content = true;
      pieces++;
      pieceChars += trimmed.length;
    }
    // In a record, what lies between the values is keys and brackets: structure, not code (it would
    // pass CODE's brace and bracket tests on every record). Only a value's own lines can be code.
    if ((field || !record) && CODE.test(trimmed.slice(0, SENTENCE_MAX))) codeLines++;
  }
  // A record of three or more fields holds more than the order, whatever their values are.
  if ((pieces >= FIELDS_MIN && pieceChars >= CONTENT_MIN + 10) || pieces + fields >= 2 || (record?.keys ?? 0) >= FIELDS_MIN) content = true;
  // Data that is nothing but orders is the material itself; code is read by a machine, not the reader.
  if (orders.length === 0 || !content) return [];
  const taskStems = contentStems(task);
  const taskGroups = taskActionGroups(task);
  const dataStems = contentStems(skeleton);
  const lone = orders.length <= 2 && codeLines === 0 && !CORRESPONDENCE.test(task) && !writtenForPeople(skeleton);
  const delegated = DELEGATES.test(task);
  const out: RuleMatch[] = [];
  for (const o of orders) {
    const own = contentStems(o.text);
    // An order that reaches for a secret, or for an address, account or link the task does not name, is
    // a verdict alone, in correspondence and in a delegated task too.
    if (highStakes(o, task, taskGroups, skeleton)) {
      out.push({ rule: "data-off-task", technique: "indirect", weight: 0.5, index: o.index, length: Math.min(o.length, SENTENCE_MAX) });
      continue;
    }
    const offTask = o.kind === "action" ? !taskGroups.has(o.group) : ![...own.keys()].some((s) => taskStems.has(s));
    if (!offTask || o.weak) continue;
    // In a task that delegates the data's requests, the others are what the agent was asked to do.
    // A request with a verb of no known kind is weaker evidence: in correspondence, in a text for people
    // or among many orders it is the writer asking a person, and it is not counted at all.
    if (delegated || (o.group === UNKNOWN_ACTION && !lone) || FOR_THE_WRITER.test(o.text)) continue;
    // Content words the order shares with the rest of the data: an order about what the data discusses
    // ("please send the Q3 report" in a thread about the Q3 report) may be the data's own business.
    let shared = 0;
    for (const [s, n] of own) if ((dataStems.get(s) ?? 0) > n) shared++;
    // A question that points back into the data — a word of it used elsewhere there, or a pronoun for
    // someone it names ("Josh buys a house … How much profit did he make?") — is the data's own question
    // (a word problem, a quiz, a FAQ), not one planted for the reader to answer instead.
    const ownQuestion = o.kind === "answer" && /\?\s*$/u.test(o.text) && (shared >= 1 || REFERS_BACK.test(o.text));
    out.push({
      rule: "data-off-task",
      technique: "indirect",
      weight: lone && shared < 2 && !ownQuestion ? 0.5 : 0.3,
      index: o.index,
      length: Math.min(o.length, SENTENCE_MAX),
    });
  }
  return out;
}

const SECOND_PERSON = /(?<![\p{L}\p{N}])(?:you|your|yours|yourself)(?![\p{L}\p{N}])/iu;

/**
 * Whether data (a skeleton) says anything to whoever reads it: an order or a question to its reader, or a
 * word in the second person. A status line ("One Time Password is incorrect.") or a record of fields
 * speaks to no one, so it cannot instruct the agent that reads it. Linear: one pass over its sentences.
 */
export function addressesReader(skeleton: string): boolean {
  if (SECOND_PERSON.test(skeleton)) return true;
  for (const [sentence, index, title] of readingUnits(skeleton)) {
    if (title) continue;
    const start = sentence.trimStart();
    if (start.trim().length >= 8 && orderOf(start, index)) return true;
  }
  return false;
}

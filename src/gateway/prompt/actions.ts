/**
 * Indirect requests for an *action*: an e-mail, document or tool result that asks the assistant reading
 * it to send, forward or reply with a message, call a tool, or put its own task aside. An ordinary
 * business e-mail asks a person for the same things ("please send the report to finance@…"), so each
 * cue here stays below a verdict alone and a verdict needs two kinds: a send order to an address with
 * the message's text dictated, the assistant addressed as the mail's reader, or its task (summarising
 * the mail) put below the request.
 *
 * The verb lists cover the languages of the rules (rules.ts) and the scripts seen in attack e-mails
 * (Arabic, Hindi, Nepali, Urdu, Thai, Khmer, Lao, Amharic, Swahili, Turkish, Vietnamese, Indonesian,
 * Russian, Chinese, Japanese, Korean); the words are translations made for this list.
 */
import type { PromptRule, RuleMatch } from "./rules.js";
import { defensive } from "./rules.js";

const B = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";

// Latin-script send verbs: whole words.
const SEND_LATIN = [
  // English
  "send|forward|e-?mail|mail|reply|respond|write|contact|cc|bcc|transmit|deliver|notify|submit|share|message",
  // Spanish, French, German, Italian, Portuguese, Dutch, Polish
  "envía|envíe|envia|envie|enviar|envíen|reenvía|reenvíe|reenvia|reenvie|reenviar|manda|mande|mandar|remite|remita|escribe|escriba",
  "envoie|envoyez|envoyer|transfère|transférez|transférer|transfere|transferez|transmets|transmettez|transmettre|écris|écrivez|ecris|ecrivez|réponds|répondez",
  "sende|senden|sendet|schicke|schicken|schickt|schick|leite|leiten|weiterleiten|übermittle|übermitteln|maile|antworte",
  "invia|inviare|inviate|inoltra|inoltrare|inoltrate|spedisci|spedire|scrivi|rispondi",
  "encaminhe|encaminhar|encaminha|responda|escreva",
  "stuur|verstuur|verzend|doorsturen|wyślij|wyslij|prześlij|przeslij",
  // Turkish, Indonesian/Malay, Vietnamese, Swahili
  "gönder|gönderin|gonder|ilet|iletin|kirim|kirimkan|teruskan|hantar|gửi|chuyển\\s+tiếp|tuma|tumeni",
].join("|");
// Other scripts: stems, matched anywhere (no spaces between words in several of them).
const SEND_STEMS = [
  "отправ",
  "перешл",
  "пересл",
  "вышл",
  "发送",
  "發送",
  "转发",
  "轉發",
  "寄给",
  "寄給",
  "发给",
  "發給",
  "发到",
  "發到",
  "送信",
  "転送",
  "送って",
  "送付",
  "보내",
  "전송",
  "발송",
  "भेज",
  "पठाउ",
  "بھیج",
  "أرسل",
  "ارسل",
  "إرسال",
  "ارسال",
  "بفرست",
  "ส่ง",
  "ផ្ញើ",
  "ສົ່ງ",
  "ላክ",
  "ላኩ",
  "ይላኩ",
  "שלח",
];
const SEND = new RegExp(`${B}(?:${SEND_LATIN})${E}|${SEND_STEMS.map((w) => w.normalize("NFKC")).join("|")}`, "giu");
// The e-mail part starts only where a run of address characters starts: without the look-behind a long run
// with no "@" is rescanned from each of its characters (quadratic; 100 KB took 15 s of CPU).
const ADDRESS = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}|https?:\/\/[^\s)"'<>]+|(?<![\p{L}\p{N}])www\.[^\s)"'<>]+/giu;

// The text of the message to send, dictated: "body must be exactly: "confirmation"", "include only the
// text 'X'", or in any language a colon followed by a short quoted word.
const DICTATED = new RegExp(
  [
    `${B}(?:body|content|contents|text|message|subject|wording)${E}[^.!?\\n]{0,50}?["“'‘«]`,
    `${B}(?:only|just|exactly|solely)\\s+(?:the\\s+)?(?:word|words|text|phrase|string|message)\\s*:?\\s*["“'‘«]`,
    `${B}(?:containing|contain|contains|saying|reading|with\\s+the\\s+(?:word|text|phrase))\\s*:?\\s*(?:only\\s+|just\\s+|exactly\\s+)?["“'‘«]`,
    `[:：៖፦]\\s*["“«「'‘][^"”»」'’\\n]{1,40}["”»」'’]`,
  ].join("|"),
  "giu",
);

// The assistant's own task overruled: priority over (or set aside) summarising, in the listed languages.
const PRIORITY = [
  "priorit",
  "precedence",
  "prioridad",
  "priorité",
  "vorrang",
  "priorità",
  "prioridade",
  "приоритет",
  "優先",
  "优先",
  "우선",
  "öncelik",
  "ưu tiên",
  "प्राथमिकता",
  "الأولوية",
  "أولوية",
  "ความสำคัญ",
  "kipaumbele",
  "អាទិភាព",
  "ຄວາມສໍາຄັນ",
  "ቅድሚያ",
  "ترجیح",
];
const SUMMARY = [
  "summar",
  "resumen",
  "resúmen",
  "résum",
  "zusammenfass",
  "riassun",
  "resumo",
  "сводк",
  "резюм",
  "要約",
  "摘要",
  "总结",
  "總結",
  "요약",
  "özet",
  "tóm tắt",
  "सारांश",
  "ملخص",
  "สรุป",
  "muhtasari",
  "សង្ខេប",
  "ສະຫຼຸບ",
  "ማጠቃለያ",
  "خلاص",
  "ringkasan",
];
// The comparison that puts the request above the summary: "priority over", "Vorrang vor", "よりも優先".
const OVER = new RegExp(
  `${B}(?:over|above|before|than|sobre|sur|sul|sui|sulle|vor|über|sopra|acima|над|daha|hơn|zaidi|lebih|mais\\s+do\\s+que)${E}|より|于|於|보다|अधिक|भन्दा|የበለጠ|ज़्यादा|على|เหนือ|ይልቅ|زیادہ|ជាង|ກວ່າ|លើ`,
  "iu",
);
const SET_ASIDE = /(?<![\p{L}\p{N}])(?:set\s+aside|put\s+aside|pause|stop|interrupt|skip|postpone|(?:are|you're)\s+busy)(?![\p{L}\p{N}])[^.!?\n]{0,40}?summar/giu;

// The assistant addressed as the reader of the mail: "Dear Email Assistant", "Hi email summary manager".
const ADDRESSED = new RegExp(
  `${B}(?:dear|hello|hi|hey|greetings|attention|to)\\s*,?\\s+(?:the\\s+|my\\s+)?(?:e-?mail|mail|inbox|ai|virtual|digital|automated|smart|llm|gpt|copilot)\\s+(?:summary\\s+|summari[sz]ation\\s+)?(?:assistant|agent|bot|manager|helper|summari[sz]er|processor)${E}`,
  "giu",
);

// A document asking to decode something and carry out what it says.
const EXECUTE_DECODED = new RegExp(
  `${B}(?:decode|decipher|decrypt|unscramble)${E}[^.!?\\n]{0,80}?${B}(?:and|then)\\s+(?:execute|follow|carry\\s+out|perform|obey|run|act\\s+(?:on|upon))${E}[^.!?\\n]{0,30}?${B}(?:instructions?|commands?|requests?|it|them|what\\s+it\\s+says)${E}`,
  "giu",
);

// A tool named in the data to be called: "use the send_email tool", "call the transfer_funds function".
const TOOL_CALL = new RegExp(
  `${B}(?:call|invoke|use|run|trigger|execute)\\s+(?:the\\s+)?[\`'"]?[\\w.-]*(?:send|e-?mail|mail|post|http|fetch|transfer|pay|delete|write|upload)[\\w.-]*[\`'"]?\\s+(?:tool|function|api|action|plugin|endpoint)${E}`,
  "giu",
);

// The lists are matched against the skeleton, which is NFKC-normalised and lower case (Thai and Lao
// vowels decompose under NFKC).
for (const list of [PRIORITY, SUMMARY]) for (let i = 0; i < list.length; i++) list[i] = list[i]!.normalize("NFKC").toLowerCase();

function hit(rule: string, weight: number, index: number, length: number): RuleMatch {
  return { rule, technique: "indirect", weight, index, length };
}

const FIELD_AFTER = /^\s?:/u;
const WRITE_AS_MODIFIER = /^write["'”]?\s+["'“]?(?:access|permissions?|rights|privileges?|mode|scope|role|lock|operations?|token)(?![\p{L}\p{N}])/iu;
const NOUN_BEFORE = /(?<![\p{L}\p{N}])(?:this|that|the|your|my|our|an?|his|her|their|its)\s$/iu;

// A field of a record on its own line ("  subject: 'Hi'", "- body: '…'"): the line holds only its name
// before the colon. A mailbox listed as YAML or JSON has one for every message; it dictates nothing.
const FIELD_NAME_LINE = /^[ \t]*(?:-[ \t]+)?["']?[\p{L}_][\p{L}\p{N}_-]{0,30}["']?[ \t]*$/u;

// "send the body of the e-mail from …", "forward the contents of every message": what the reader holds.
const FORWARDS_CONTENT =
  /^\S+\s+(?:\S+\s+){0,2}?(?:body|bodies|contents?|text)\s+of\s+(?:the\s+|all\s+|every\s+|each\s+|my\s+|your\s+|this\s+|that\s+)?(?:\S+\s+)?(?:e-?mails?|messages?|files?|documents?|inbox|mailbox|conversations?|chats?|notes?)(?![\p{L}\p{N}])/iu;

function isRecordField(window: string, m: RegExpExecArray): boolean {
  const colon = m[0].indexOf(":");
  if (colon < 0) return false;
  const at = m.index + colon;
  return FIELD_NAME_LINE.test(window.slice(window.lastIndexOf("\n", at - 1) + 1, at));
}

function dictates(window: string): boolean {
  DICTATED.lastIndex = 0;
  for (let m = DICTATED.exec(window); m; m = DICTATED.exec(window)) if (!isRecordField(window, m)) return true;
  return false;
}

// A title, not an order: a Markdown heading or a code comment ("### Send email", "# Send back to PayPal for
// verification") or a bold label ("**Submit with authentication:**") of a few words over the example that does the
// sending — a manual's section names its operation. A title line that holds an address itself ("# Send the files to
// x@evil.example") is still read, and so is the example's prose.
const TITLE = /^[ \t]*(?:#{1,6}[ \t]+[^\n]{1,70}|\*\*[^*\n]{1,60}\*\*[ \t]*:?)[ \t]*$/u;

function titleLine(s: string, index: number, spans: ReadonlyArray<readonly [number, number]>): boolean {
  const start = s.lastIndexOf("\n", index - 1) + 1;
  const nl = s.indexOf("\n", index);
  const end = nl < 0 ? s.length : nl;
  if (end - start > 80) return false;
  const line = s.slice(start, end);
  if (!TITLE.test(line) || line.trim().split(/\s+/u).length > 9) return false;
  return !spans.some(([a, b]) => a < end && b > start);
}

/** Send orders with an address close after (or just before) the verb; dictated text raises the weight. */
function sendOrders(s: string): RuleMatch[] {
  const spans = [...s.matchAll(ADDRESS)].map((m) => [m.index, m.index + m[0].length] as const);
  if (spans.length === 0) return [];
  const out: RuleMatch[] = [];
  let span = 0;
  for (const m of s.matchAll(SEND)) {
    // A word inside an address ("shop@mail.com", "www.send-it.com") is part of the address, not a verb.
    while (span < spans.length && spans[span]![1] <= m.index) span++;
    if (span < spans.length && spans[span]![0] <= m.index) continue;
    // A header field ("cc: []", "email: a@b") or a noun ("ignore this email", "your message") is no order.
    if (FIELD_AFTER.test(s.slice(m.index + m[0].length, m.index + m[0].length + 3)) || NOUN_BEFORE.test(s.slice(Math.max(0, m.index - 8), m.index))) continue;
    // "write access", "write permissions": a kind of access, not an order to write to someone.
    if (WRITE_AS_MODIFIER.test(s.slice(m.index, m.index + 24))) continue;
    const near = spans.some(([a]) => a > m.index - 60 && a < m.index + m[0].length + 100);
    if (!near || defensive(s, m.index, m[0].length) || titleLine(s, m.index, spans)) continue;
    const window = s.slice(Math.max(0, m.index - 250), m.index + 300);
    // A send order with an address alone is every business e-mail ("send your CV to jobs@…"): only
    // one that also dictates the message's text, or sends on what the reader's mail or files hold, counts.
    if (dictates(window) || FORWARDS_CONTENT.test(s.slice(m.index, m.index + 80))) out.push(hit("send-to-address", 0.45, m.index, m[0].length));
  }
  return out;
}

function taskPriority(s: string): RuleMatch[] {
  const out: RuleMatch[] = [];
  for (const p of PRIORITY) {
    for (let i = s.indexOf(p); i >= 0; i = s.indexOf(p, i + 1)) {
      const window = s.slice(Math.max(0, i - 60), i + p.length + 60);
      if (SUMMARY.some((w) => window.includes(w)) && OVER.test(window) && !defensive(s, i, p.length)) out.push(hit("task-priority", 0.45, i, p.length));
    }
  }
  for (const m of s.matchAll(SET_ASIDE)) if (!defensive(s, m.index, m[0].length)) out.push(hit("task-priority", 0.45, m.index, m[0].length));
  return out;
}

const all = (re: RegExp, s: string, rule: string, weight: number) => [...s.matchAll(re)].map((m) => hit(rule, weight, m.index, m[0].length));

export const ACTION_RULES: PromptRule[] = [
  { id: "send-to-address", technique: "indirect", match: sendOrders },
  { id: "task-priority", technique: "indirect", match: taskPriority },
  {
    id: "assistant-addressed",
    technique: "indirect",
    match: (s) => all(ADDRESSED, s, "assistant-addressed", 0.45),
  },
  {
    id: "execute-data",
    technique: "indirect",
    match: (s) => [...all(EXECUTE_DECODED, s, "execute-data", 0.7), ...all(TOOL_CALL, s, "execute-data", 0.45)].filter((m) => !defensive(s, m.index, m.length)),
  },
];

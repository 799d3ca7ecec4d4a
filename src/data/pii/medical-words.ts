/**
 * Words of clinical writing that a name guess takes for people: diagnoses, procedures, drugs, organs and
 * the adjectives that open a diagnosis line ("Arterielle Hypertonie", "Z.n. Sigmoideostomie", "Gabe von
 * Orgalutran", "Vena cava"). German capitalises all of them, and a letter's headings and diagnosis lists
 * hold no sentence to tell the language by, so the test is the word itself: a suffix no given name or
 * surname has (English and German spellings), or a short list of organs and clinical nouns.
 */

/** Suffixes of diagnoses, procedures and drug classes; a word must be at least 7 letters long to count. */
const MEDICAL_SUFFIX =
  /(?:itis|itiden|ektomie|ectomy|tomie|tomy|skopie|scopy|graphie|grafie|graphy|gramm|therapie|therapien|therapy|plastik|plastie|plasty|ämie|aemia|emia|pathie|pathy|algie|algia|plegie|plegia|ektasie|ectasia|malazie|malacia|trophie|trophy|insuffizienz|stenose|sklerose|thrombose|thrombosen|osis|karzinom|carcinom|carcinoma|sarkom|sarcoma|melanom|melanoms|melanoma|glaukom|glaucoma|adenom|adenoma|lymphom|lymphoma|hämatom|hematoma|myelom|myeloma|zyten|cytes|pertonie|potonie|stonie|ismus|logie|iatrie|urgie|medizin|mab|tinib|platin|taxel|mycin|cillin|prazol|prazole|azol|ozol|sartan|statin|olol|azepam|parin|oxacin|triptan|dipin|profen|fenac|sulfon|sulfat)$/;

/** Short clinical nouns, Latin organ names and the abbreviations of letters ("Trpf", "Sono", "Mio"), lower case. */
const CLINICAL_NOUNS = new Set(
  (
    "leber galle niere nieren pleura vena venae arteria aorta pankreas pancreas milz lunge lungen herz schädel kopf hals " +
    "lymphknoten kniegelenk hüftgelenk gelenk handrücken zehennagel fundi fundus cornea retina " +
    "zyklus zyklen gabe salbe tropfen trpf retard tabletten kapseln infusion lavage " +
    "metastase metastasen harnstoff bilirubin kreatinin thrombosen paresen parese ödem ödeme " +
    "medikation befund befunde diagnose diagnosen anamnese epikrise procedere vorgehen therapien " +
    "sono sonographie mio klin bek komb assistenzarzt assistenzärztin oberarzt oberärztin"
  ).split(" "),
);

/**
 * Adjectives that open a German diagnosis ("Arterielle", "Akutes", "Progrediente", "Multiple",
 * "Mäßige", "Bekannte", "Infrarenales"): a learned stem ending, then an inflection. Only counted next to a
 * clinical word, never alone ("Michelle" has this shape).
 */
const CLINICAL_ADJECTIVE = /^\p{Lu}\p{Ll}{2,}(?:ell|iv|al|ig|lich|isch|ös|ent|ant|iert|är|ar|kannt|gen|ign)(?:e|es|er|en|em)$/u;
/** Plain adjectives that open a German diagnosis or heading and carry no learned ending. */
const PLAIN_ADJECTIVES = new Set(
  "multiple innere akute akutes akuter akuten gute guter gutes kleine kleiner kleines weitere weiterer weiteres keine kein bekannte bekannter bekanntes".split(" "),
);

/** The word in lower case without the marks around it ("Z.n.," → "z.n"); most words have none (no pattern run). */
function bare(word: string): string {
  const a = word.charCodeAt(0);
  const z = word.charCodeAt(word.length - 1);
  const letter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c < 0x2000 && c !== 0xd7 && c !== 0xf7);
  if (letter(a) && letter(z)) return word.toLowerCase();
  return word.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "").toLowerCase();
}

/** Whether a word is a diagnosis, procedure, drug, organ or clinical noun (by its suffix or the list). */
export function isMedicalWord(word: string): boolean {
  const w = bare(word);
  if (CLINICAL_NOUNS.has(w)) return true;
  if (w.length < 7) return false;
  // "-itis" but not the Lithuanian surnames in "-aitis", "-ytis"; "-ose" but not "Ambrose", "Montrose".
  if (w.endsWith("itis")) return !w.endsWith("aitis");
  if (w.endsWith("ytis")) return false;
  if (/osen?$/.test(w)) return w.length >= 8 && !/(?<!po)rosen?$/.test(w);
  return MEDICAL_SUFFIX.test(w);
}

/**
 * Whether a guessed name [words] is clinical text: at least one medical word, and every other word a
 * medical word, an adjective of a diagnosis, a short capitalised code ("CCV", "BA") or an abbreviation
 * with its dot ("Z.n.", "V.a.", "M.").
 */
export function isClinicalPhrase(words: readonly string[]): boolean {
  // Most guesses hold no medical word: then the answer is no, and the other words' patterns need not run.
  if (!words.some(isMedicalWord)) return false;
  let medical = false;
  for (const word of words) {
    if (isMedicalWord(word)) {
      medical = true;
      continue;
    }
    const w = word.replace(/[,;:]+$/, "");
    if (CLINICAL_ADJECTIVE.test(w) || PLAIN_ADJECTIVES.has(w.toLowerCase())) continue;
    if (/^\p{Lu}{2,5}$/u.test(w)) continue;
    if (/^(?:\p{L}{1,3}\.){1,3}$/u.test(w)) continue;
    return false;
  }
  return medical;
}

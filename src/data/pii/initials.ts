/**
 * People named by initials, the way court decisions and case reports name parties, witnesses and
 * experts: "Dr. K.", "Prof. Dr. T.", "Herrn N", "Mr A.B.", "M. D.", "la Sra. A.B." (after a title, see
 * person-title in recognizers.ts) and "der Zeugin K.", "den Angeklagten T. D.", "Rechtsanwalt P.", "the
 * applicant X", "le requérant A.B.", "el demandante J.M." (after a word that names a party, witness or
 * professional, below). An initial alone says nothing: only such a word before it says "person".
 */

/**
 * One to three initials ("K.", "A.B.", "U. Sch.", "Dö.": a capital and at most two small letters, each with
 * its dot), or one capital standing alone ("Frau B", "Herrn N", "Verpächterin A"; not before a number:
 * "Paramount Dr L 8" is a street).
 */
export const INITIALS = String.raw`(?:[\p{Lu}][\p{Ll}]{0,2}\.[ \t]?){0,2}[\p{Lu}][\p{Ll}]{0,2}\.(?![\p{L}\p{N}])|[\p{Lu}](?![\p{L}\p{N}.'’&/-]|[ \t]*\d)`;

/** Abbreviations with the shape of an initial that follow these words as something else ("Kläger Nr. 1"). */
/** Titles too: "Zeuge Dr. Moriz Schweinburg" names the witness after the title (person-title finds him). */
const NOT_INITIALS = new Set("nr no nº abs art az bd bl ca st str tel vgl ziff zu gg bzw kap anl ders dr mr ms mrs hr fr sr me mme dott avv rev".split(" "));

/** Whether `span` (initials found after a title or party word) is a person's initials, not an abbreviation. */
export function initialsScore(span: string): number | null | undefined {
  const first = span.split(/[ \t.]/, 1)[0]!.toLowerCase();
  return NOT_INITIALS.has(first) ? null : undefined;
}

/** Whether `word` has the shape of one initial ("K.", "Dö.", "B"). */
export function isInitial(word: string): boolean {
  return /^(?:[\p{Lu}][\p{Ll}]{0,2}\.)+$|^[\p{Lu}]$/u.test(word);
}

/**
 * Party, witness, expert and kin words (German with their case endings and compounds such as
 * "Kriminaloberkommissarin", "Justizinspektor"; English, French and Spanish), lower-case or capitalised.
 */
const PARTY_GERMAN =
  "(?:[Mm]it)?[Aa]ngeklagte[nr]?|[Zz]eug(?:e|en|in)|[Kk]läger(?:in|s)?|[Nn]ebenkläger(?:in|s)?|[Bb]eklagte[nr]?|[Gg]eschädigte[nr]?|" +
  "[Bb]etroffene[nr]?|[Bb]eigeladene[nr]?|[Aa]ntrag(?:steller|sgegner)(?:in|s)?|[Ee]rblasser(?:in|s)?|[Vv]erstorbene[nr]?|" +
  "[Rr]echtsanw(?:alt|ältin|alts)|[Ss]achverständige[nr]?|[Gg]utachter(?:in|s)?|[Pp]atient(?:in|en)?|[Ss]chuldner(?:in|s)?|" +
  "[Gg]läubiger(?:in|s)?|(?:[Vv]er)?[Pp]ächter(?:in|s)?|(?:[Vv]er)?[Mm]ieter(?:in|s)?|[Mm]itbewerber(?:in|s)?|[Ee]hefrau|[Ee]hemann(?:es)?|" +
  "\\p{Ll}*(?:[Kk]ommissar|[Ii]nspektor|[Ss]ekretär)(?:in|s)?";
const PARTY_OTHER =
  "applicants?|witness|defendant|claimant|plaintiff|petitioner|complainant|victim|" +
  "requérante?|témoin|prévenue?|plaignante?|victime|accusée?|demandeur|demanderesse|défendeur|défenderesse|" +
  "demandante|demandad[oa]|testigo|acusad[oa]|víctima|denunciante|recurrente|querellante|procesad[oa]|imputad[oa]";
const PARTY_EITHER = PARTY_OTHER.split("|")
  .map((w) => `[${w[0]!.toUpperCase()}${w[0]}]${w.slice(1)}`)
  .join("|");

/** "der Zeugin K.", "the applicant, X", "el demandante J.M.": the party word, then the initials (group 1). */
export const PARTY_INITIALS_PATTERN = new RegExp(`(?<![\\p{L}])(?:${PARTY_GERMAN}|${PARTY_EITHER}),?[ \\t]+(${INITIALS})`, "gu");

/** Lower-case pieces every party word holds: a text with none of them is not read. */
export const PARTY_INITIALS_PREFILTER =
  /ngeklagt|eug[eiu]|läger|eklagt|eschädigt|etroffen|eigeladen|ntrags|rblasser|erstorben|echtsanw|achverständig|utachter|atient|chuldner|läubiger|ächter|ieter|itbewerber|hefrau|hemann|ommissar|nspektor|ekretär|pplicant|itness|efendant|laimant|laintiff|etitioner|omplainant|ictim|equérant|émoin|révenu|laignant|ccusé|emand|éfende|estigo|cusad|íctima|enunciante|ecurrente|uerellante|rocesad|mputad/;

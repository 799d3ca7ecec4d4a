import { prng as rng } from "../../src/core/random.js";

/**
 * Generates labelled PII text: sentences from templates in English, German, French and Spanish with
 * slots filled by random values (valid checksums computed from the published rules) and distractors
 * that look like PII but are not (versions, order numbers, Luhn-invalid card numbers, times, prices).
 */

/** Generated corpora use the data checks' own deterministic PRNG, so they are reproducible. */
export { rng };

export interface Labelled {
  text: string;
  spans: Array<{ entity: string; start: number; end: number }>;
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const digits = (r: R, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join("");
const int = (r: R, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

// Independent implementations of the check rules (written from the specifications, not imported).
export function luhnDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
function ibanOf(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(numeric) % 97n);
  return `${country}${String(check).padStart(2, "0")}${bban}`;
}
const group4 = (s: string) => s.replace(/(.{4})/g, "$1 ").trim();

const FIRST = ["James", "Mary", "Robert", "Linda", "Hans", "Ursula", "Pierre", "Camille", "Javier", "Lucía", "Emma", "Lukas", "Sophie", "Carlos", "Olivia", "Thomas"];
const LAST = ["Smith", "Johnson", "Müller", "Schmidt", "Dubois", "Lefèvre", "García", "Fernández", "Brown", "Weber", "Moreau", "Navarro", "Taylor", "Becker"];
const MONTHS_EN = ["January", "March", "May", "July", "September", "November"];
const MONTHS_DE = ["Januar", "März", "Mai", "Juli", "Oktober", "Dezember"];
const MONTHS_FR = ["janvier", "mars", "mai", "juillet", "octobre", "décembre"];
const MONTHS_ES = ["enero", "marzo", "mayo", "julio", "octubre", "diciembre"];

export const GEN: Record<string, (r: R) => string> = {
  EMAIL_ADDRESS: (r) =>
    `${pick(r, FIRST)
      .toLowerCase()
      .replace(/[^a-z]/g, "")}.${pick(r, LAST)
      .toLowerCase()
      .replace(/[^a-z]/g, "")}${int(r, 1, 99)}@${pick(r, ["example.com", "mail.de", "corp.fr", "empresa.es", "uni.edu"])}`,
  PHONE_NUMBER: (r) =>
    pick(r, [
      () => `+1 ${pick(r, ["415", "212", "617", "303"])}-${int(r, 200, 989)}-${digits(r, 4)}`,
      () => `(${pick(r, ["415", "212", "617"])}) ${int(r, 200, 989)}-${digits(r, 4)}`,
      () => `+49 30 ${int(r, 2000000, 8999999)}`,
      () => `030 ${int(r, 2000000, 8999999)}`,
      () => `+33 1 ${digits(r, 2).replace(/^0/, "4")} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
      () => `01 ${int(r, 40, 79)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`,
      () => `+34 ${pick(r, ["612", "699", "655"])} ${digits(r, 3)} ${digits(r, 3)}`,
      () => `+44 20 7${digits(r, 3)} ${digits(r, 4)}`,
    ])(),
  CREDIT_CARD: (r) => {
    const kind = int(r, 0, 2);
    if (kind === 0) {
      const p = `4${digits(r, 14)}`;
      return group4(p + luhnDigit(p));
    }
    if (kind === 1) {
      const p = `5${int(r, 1, 5)}${digits(r, 13)}`;
      return p + luhnDigit(p);
    }
    const p = `3${pick(r, ["4", "7"])}${digits(r, 12)}`;
    const full = p + luhnDigit(p);
    return `${full.slice(0, 4)} ${full.slice(4, 10)} ${full.slice(10)}`;
  },
  IBAN_CODE: (r) => {
    const c = pick(r, ["DE", "FR", "ES", "GB"]);
    const bban = c === "DE" ? digits(r, 18) : c === "FR" ? `${digits(r, 10)}${digits(r, 11)}${digits(r, 2)}` : c === "ES" ? digits(r, 20) : `WEST${digits(r, 14)}`;
    const iban = ibanOf(c, bban);
    return r() < 0.5 ? group4(iban) : iban;
  },
  US_SSN: (r) => `${int(r, 100, 665)}-${String(int(r, 1, 99)).padStart(2, "0")}-${String(int(r, 1, 9999)).padStart(4, "0")}`,
  IP_ADDRESS: (r) =>
    r() < 0.75 ? `${int(r, 11, 223)}.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}` : `2001:db8:${int(r, 1, 65535).toString(16)}::${int(r, 1, 65535).toString(16)}`,
  URL: (r) => `https://${pick(r, ["www.example.com", "portal.acme.io", "intranet.firma.de", "blog.site.fr"])}/${pick(r, ["profile", "u", "docs"])}/${digits(r, 4)}`,
  ES_NIF: (r) => {
    const n = int(r, 10000000, 99999999);
    return `${n}${"TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]}`;
  },
  FR_NIR: (r) => {
    const body = `${int(r, 1, 2)}${digits(r, 2)}${String(int(r, 1, 12)).padStart(2, "0")}${String(int(r, 1, 95)).padStart(2, "0")}${digits(r, 3)}${digits(r, 3)}`;
    const key = String(97n - (BigInt(body) % 97n)).padStart(2, "0");
    return `${body[0]} ${body.slice(1, 3)} ${body.slice(3, 5)} ${body.slice(5, 7)} ${body.slice(7, 10)} ${body.slice(10, 13)} ${key}`;
  },
  DE_ID_CARD: (r) => {
    const alpha = "CFGHJKLMNPRTVWXYZ";
    const alnum = `${alpha}0123456789`;
    let s = pick(r, "LMNPRTVWXY".split(""));
    for (let i = 0; i < 8; i++) s += i % 2 === 0 ? String(int(r, 0, 9)) : alnum[int(r, 0, alnum.length - 1)];
    const w = [7, 3, 1];
    const val = (c: string) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
    const check = [...s].reduce((a, c, i) => a + val(c) * w[i % 3]!, 0) % 10;
    return s + check;
  },
  PERSON: (r) => `${pick(r, FIRST)} ${pick(r, LAST)}`,
  STREET_ADDRESS: (r) =>
    pick(r, [
      () => `${int(r, 1, 999)} ${pick(r, ["Oak", "Maple", "Baker", "Sunset"])} ${pick(r, ["Street", "Avenue", "Road", "Drive"])}`,
      () => `${pick(r, ["Haupt", "Bahnhof", "Schiller", "Goethe"])}straße ${int(r, 1, 120)}`,
      () => `${int(r, 1, 200)} rue ${pick(r, ["de la Paix", "Victor Hugo", "du Bac", "des Lilas"])}`,
      () => `Calle ${pick(r, ["Mayor", "Alcalá", "Serrano"])} ${int(r, 1, 150)}`,
    ])(),
  MEDICAL_RECORD_NUMBER: (r) => `${pick(r, ["", "MR", "H"])}${digits(r, 7)}`,
};

const DOB: Array<(r: R) => [string, string]> = [
  (r) => ["born on", `${int(r, 1, 28)} ${pick(r, MONTHS_EN)} ${int(r, 1940, 2005)}`],
  (r) => ["date of birth:", `${int(r, 1940, 2005)}-${String(int(r, 1, 12)).padStart(2, "0")}-${String(int(r, 1, 28)).padStart(2, "0")}`],
  (r) => ["geboren am", `${int(r, 1, 28)}. ${pick(r, MONTHS_DE)} ${int(r, 1940, 2005)}`],
  (r) => ["geb.", `${String(int(r, 1, 28)).padStart(2, "0")}.${String(int(r, 1, 12)).padStart(2, "0")}.${int(r, 1940, 2005)}`],
  (r) => ["née le", `${int(r, 1, 28)} ${pick(r, MONTHS_FR)} ${int(r, 1940, 2005)}`],
  (r) => ["nacido el", `${int(r, 1, 28)} de ${pick(r, MONTHS_ES)} de ${int(r, 1940, 2005)}`],
];

/** Sentences: [text with {SLOT} markers]. Context words sit where people write them. */
const TEMPLATES: string[] = [
  "Please contact {PERSON} at {EMAIL_ADDRESS} for the refund.",
  "Call me on {PHONE_NUMBER} after 6pm.",
  "Kontakt: {PERSON}, Telefon {PHONE_NUMBER}, E-Mail {EMAIL_ADDRESS}.",
  "Vous pouvez joindre {PERSON} au {PHONE_NUMBER}.",
  "Puede llamar a {PERSON} al teléfono {PHONE_NUMBER}.",
  "Payment with card {CREDIT_CARD} was declined.",
  "Bitte überweisen Sie auf IBAN {IBAN_CODE} bis Freitag.",
  "Virement sur le compte {IBAN_CODE} reçu.",
  "Transfer from {IBAN_CODE} completed for order 55120.",
  "Applicant SSN {US_SSN} verified on file.",
  "Login from {IP_ADDRESS} blocked after 5 attempts.",
  "The request came from host {IP_ADDRESS}.",
  "See {URL} for details.",
  "Su DNI es {ES_NIF} y vive en {STREET_ADDRESS}.",
  "Numéro de sécurité sociale : {FR_NIR}.",
  "Personalausweis Nr. {DE_ID_CARD} vorgelegt.",
  "{PERSON} lives at {STREET_ADDRESS}.",
  "Wohnhaft in der {STREET_ADDRESS}, Berlin.",
  "Adresse : {STREET_ADDRESS}, Paris.",
  "Patient {PERSON}, MRN {MEDICAL_RECORD_NUMBER}, admitted today.",
  "Patientennummer: {MEDICAL_RECORD_NUMBER}",
  "Historia clínica {MEDICAL_RECORD_NUMBER} revisada por {PERSON}.",
  "Dear {PERSON}, your ticket has been updated.",
  "Signed: {PERSON}",
  "Card number {CREDIT_CARD}, holder {PERSON}.",
];

const DISTRACTORS: Array<(r: R) => string> = [
  (r) => `Upgraded to version ${int(r, 1, 9)}.${int(r, 0, 20)}.${int(r, 0, 9)}.${int(r, 0, 99)} last night.`,
  (r) => `Order ${digits(r, 8)} shipped on ${int(r, 1, 28)}/${int(r, 1, 12)}/2024 at ${int(r, 10, 23)}:${int(r, 10, 59)}.`,
  (r) => `Total due: ${int(r, 10, 9999)}.${digits(r, 2)} EUR, invoice INV-${digits(r, 6)}.`,
  (r) => `Reference ${digits(r, 16).replace(/^./, "9")} is not a card number.`,
  (r) => `The meeting is in room ${int(r, 100, 999)} at ${int(r, 8, 17)}:${pick(r, ["00", "30"])}.`,
  (r) => `Build ${digits(r, 4)} passed ${int(r, 100, 999)} tests in ${int(r, 1, 59)} seconds.`,
  () => `The Golden Gate Bridge and the Eiffel Tower are landmarks.`,
  (r) => `Quarterly revenue grew ${int(r, 1, 40)}% in ${pick(r, ["Europe", "North America", "Latin America"])}.`,
  (r) => `Das Meeting findet am Montag im Raum ${int(r, 1, 40)} statt.`,
  (r) => `La réunion aura lieu le ${int(r, 1, 28)} ${pick(r, MONTHS_FR)} ${int(r, 2024, 2026)}.`,
  (r) => `Lote ${digits(r, 6)} enviado a las ${int(r, 10, 23)}:${int(r, 10, 59)}.`,
  (r) => `Temperature ${int(r, -20, 40)} C, humidity ${int(r, 10, 99)}%.`,
];

export function corpus(seed: number, n: number): Labelled[] {
  const r = rng(seed);
  const out: Labelled[] = [];
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.25) {
      out.push({ text: pick(r, DISTRACTORS)(r), spans: [] });
      continue;
    }
    if (roll < 0.35) {
      const [ctx, date] = pick(r, DOB)(r);
      const name = GEN.PERSON!(r);
      const text = `${name}, ${ctx} ${date}.`;
      out.push({
        text,
        spans: [
          { entity: "PERSON", start: 0, end: name.length },
          { entity: "DATE_OF_BIRTH", start: name.length + 2 + ctx.length + 1, end: name.length + 2 + ctx.length + 1 + date.length },
        ],
      });
      continue;
    }
    const template = pick(r, TEMPLATES);
    let text = "";
    const spans: Labelled["spans"] = [];
    let at = 0;
    for (const m of template.matchAll(/\{([A-Z_]+)\}/g)) {
      text += template.slice(at, m.index);
      const value = GEN[m[1]!]!(r);
      spans.push({ entity: m[1]!, start: text.length, end: text.length + value.length });
      text += value;
      at = m.index! + m[0].length;
    }
    text += template.slice(at);
    out.push({ text, spans });
  }
  return out;
}

const FILLER =
  "the of and to in is was for on that with as by at from it an be this which or are have not has but were their more about when also can one all new other time some into only over such people after first two may most state year".split(
    " ",
  );

/**
 * Lines of filler prose with every `every`-th line (0: none) taken from `dense` texts, as the PII
 * speed benchmarks read them; sentences are drawn from `r`, so one generator gives one sequence.
 */
export function proseWithPii(r: R, dense: readonly string[], every: number, count: number): string[] {
  const sentence = () => {
    const w = Array.from({ length: 10 + Math.floor(r() * 8) }, () => FILLER[Math.floor(r() * FILLER.length)]!);
    w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
    return `${w.join(" ")}.`;
  };
  return Array.from({ length: count }, (_, i) => (every > 0 && i % every === 0 ? dense[i % dense.length]! : sentence()));
}

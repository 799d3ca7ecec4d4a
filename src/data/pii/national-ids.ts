import { deSocialInsuranceValid, deTaxIdValid, esCifValid, esSocialSecurityValid, spainIdValid } from "./checksums.js";
import type { Recognizer } from "./recognizers.js";

/**
 * German and Spanish identifiers beyond the ID card and DNI: each is a bare run of digits (or a letter
 * and digits) that many other numbers resemble, so each needs its context word near it as well as its
 * check digits; the context gate (a raw-text test every context word passes) skips texts with none.
 */
export const NATIONAL_ID_RECOGNIZERS: readonly Recognizer[] = [
  {
    // Steuer-ID: 11 digits, written whole or 2-3-3-3 ("65 929 970 489").
    id: "de-tax-id",
    window: "digits",
    entity: "DE_TAX_ID",
    pattern: /(?<![\d/.,-])[1-9]\d(?:\d{9}| \d{3} \d{3} \d{3}|\/\d{3}\/\d{3}\/\d{3})(?![\d/,-]|\.\d)/g,
    score: 0.6,
    needs: "digit",
    checksum: true,
    requireContext: true,
    // ASCII classes, not the i flag: the same test, cheaper; every context word holds one of these.
    contextGate: /[Ss][Tt][Ee][Uu][Ee][Rr]|[Ii][Dd][Ee][Nn][Tt][Ii][Ff]|[Ii][Dd]-?[Nn][Rr]|[Tt][Aa][Xx]/,
    validate: (t) => (deTaxIdValid(t) ? undefined : null),
    context: [
      "steuer-id",
      "steuerid",
      "steuer-idnr",
      "steueridentifikationsnummer",
      "steuer-identifikationsnummer",
      "identifikationsnummer",
      "idnr",
      "id-nr",
      "steuernummer",
      "steuer-nr",
      "tax id",
      "tax identification number",
    ],
  },
  {
    // Rentenversicherungsnummer / Sozialversicherungsnummer: "65 170839 J 003", "65170839J003".
    id: "de-social-insurance",
    window: "digits",
    entity: "DE_SOCIAL_INSURANCE",
    pattern: /(?<![\dA-Za-z])\d{2} ?\d{6} ?[A-Z] ?\d{2} ?\d(?![\dA-Za-z])/g,
    score: 0.6,
    needs: "digit",
    checksum: true,
    requireContext: true,
    contextGate: /[Vv][Ee][Rr][Ss][Ii][Cc][Hh][Ee][Rr][Uu][Nn][Gg]|[RrSs][Vv][Nn][Rr]|[Ss][Vv]-[Nn]|[Ss][Oo][Cc][Ii][Aa][Ll]/,
    validate: (t) => (deSocialInsuranceValid(t) ? undefined : null),
    context: [
      "rentenversicherungsnummer",
      "sozialversicherungsnummer",
      "versicherungsnummer",
      "rentenversicherung",
      "sozialversicherung",
      "rvnr",
      "svnr",
      "sv-nummer",
      "sv-nr",
      "social insurance",
      "social security",
    ],
  },
  {
    // Número de afiliación a la Seguridad Social: "28/12345678/40", "28 12345678 40", 12 digits.
    id: "es-social-security",
    window: "digits",
    entity: "ES_SOCIAL_SECURITY",
    pattern: /(?<![\d/.,-])\d{2}([/ -]?)\d{8}\1\d{2}(?![\d/,-]|\.\d)/g,
    score: 0.6,
    needs: "digit",
    checksum: true,
    requireContext: true,
    contextGate: /[Ss][Oo][Cc][Ii][Aa][Ll]|[Nn][Uu]?[Ss][Ss]|[Nn][Aa][Ff]|[Aa][Ff][Ii][Ll][Ii][Aa][Cc]/,
    validate: (t) => (esSocialSecurityValid(t) ? undefined : null),
    context: ["seguridad social", "nuss", "nss", "naf", "afiliación", "afiliacion", "número de afiliación", "social security"],
  },
  {
    // A DNI printed in groups, as deeds and forms write it: "12.345.678-Z", "12 345 678 Z" (one separator
    // throughout). The bare form is es-nif's; grouped digits are common in prose, so the letter check
    // needs a DNI, NIF or identity word nearby.
    id: "es-dni-grouped",
    window: "digits",
    entity: "ES_NIF",
    pattern: /(?<![\dA-Za-z.,])\d{1,2}([. ])\d{3}\1\d{3}[ -]?[A-Za-z](?![\dA-Za-z]|-[A-Za-z])/g,
    score: 0.9,
    needs: "digit",
    checksum: true,
    requireContext: true,
    contextGate: /[Dd]\.?[Nn]\.?[Ii]|[Nn]\.?[Ii]\.?[EeFf]|[Ii]dentidad|[Dd]ocumento/,
    validate: (t) => (spainIdValid(t.replace(/\./g, "")) ? undefined : null),
    context: ["dni", "d.n.i", "nif", "n.i.f", "nie", "documento", "identidad"],
  },
  {
    // NIF of a company or other legal entity (the former CIF): "B12345674", "Q-2826000-H".
    id: "es-cif",
    minRun: 7,
    window: "digits",
    entity: "ES_NIF",
    pattern: /(?<![\dA-Za-z-])[ABCDEFGHJNPQRSUVW]-?\d{7}-?[0-9A-J](?![\dA-Za-z-])/g,
    score: 0.6,
    needs: "digit",
    checksum: true,
    requireContext: true,
    // Not inside a word: "specific" and "significant" hold "cif" and "nif".
    contextGate: /(?<![A-Za-z])[CcNn]\.?[Ii]\.?[Ff](?![a-z])|[Ff][Ii][Ss][Cc][Aa][Ll]/,
    validate: (t) => (esCifValid(t) ? undefined : null),
    context: ["cif", "c.i.f", "c.i.f.", "nif", "n.i.f", "n.i.f.", "identificación fiscal", "identificacion fiscal", "código fiscal"],
  },
];

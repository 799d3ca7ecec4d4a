/**
 * Ranks, nobility, clergy, professions and kinship written before a bare surname or given name, the way
 * news, reports and novels name people ("il generale Cialdini", "le maréchal Niel", "el coronel Aureliano",
 * "General v. Mülbe", "Captain Hastings", "lo zio Carlo"). They join the office words of the person-role
 * recognizer (recognizers.ts): the name after them must pass the same tests (no stop word, no office, no
 * everyday German noun, and a lone word must not be a country or a word known as a place or thing only).
 */

/** Romance and English words, written in either case ("Generale", "generale"); `.` ends an abbreviation. */
export const MORE_ROLES = [
  // Italian
  "generale|colonnello|capitano|tenente|maresciallo|ammiraglio|conte|contessa|marchese|marchesa|principe|principessa|duca|duchessa|" +
    "barone|baronessa|cardinale|papa|monsignor|monsignore|dottor|dottore|dottoressa|professor|professore|professoressa|avvocato|" +
    "ingegnere|ingegner|notaio|prefetto|questore|primario|portavoce|segretario|segretaria|governatore|regina|imperatore|zio|zia|nonno|nonna",
  // French
  "général|colonel|capitaine|lieutenant|maréchal|amiral|comte|comtesse|marquis|marquise|duc|duchesse|baron|baronne|prince|princesse|roi|" +
    "reine|empereur|impératrice|cardinal|abbé|curé|pasteur|docteur|professeur|maître|avocat|notaire|préfet|ingénieur|citoyen|citoyenne|veuve|" +
    // Kin, as novels name their characters ("le père Quenu", "la mère Méhudin", "l'oncle Gradelle").
    "père|mère|oncle|tante|cousin|cousine|frère|sœur",
  // Spanish
  "general|coronel|capitán|teniente|almirante|conde|condesa|marqués|marquesa|duque|duquesa|príncipe|princesa|rey|reina|cardenal|obispo|" +
    "doctor|doctora|profesor|profesora|abogado|abogada|ingeniero|ingeniera|licenciado|licenciada|tío|tía|abuelo|abuela|" +
    // News names people by what they do ("el mandatario López Obrador", "el empresario Carlos Slim"). Not
    // the English words, nor Spanish words spelt alike ("actor", "director"): title-case headlines capitalise
    // them before anything ("The Actor Dating IU").
    "mandatario|mandataria|gobernador|gobernadora|exgobernador|expresidente|legislador|legisladora|dirigente|líder|vocero|vocera|" +
    "candidato|candidata|secretario|secretaria|funcionario|funcionaria|fiscal|procurador|procuradora|regidor|regidora|delegado|delegada|" +
    "magistrado|magistrada|empresario|empresaria|activista|periodista|escritor|escritora|cantante|actriz|futbolista|jugador|jugadora|" +
    "delantero|portero|directora|" +
    "candidat|dirigeant|secrétaire|chanteur|chanteuse|acteur|actrice|écrivain|journaliste",
  // English, abbreviations too ("Gen. Grant", "Sgt. Pepper", "Sen. Warren")
  "captain|sergeant|admiral|gen\\.|col\\.|capt\\.|lt\\.|sgt\\.|gov\\.|sen\\.|rep\\.|lord|lady|duke|duchess|earl|countess|baroness|princess|king|" +
    "queen|emperor|empress|pope|archbishop|bishop|reverend|father|inspector|detective|officer|constable|uncle|aunt|rabbi|ambassador",
].join("|");

/**
 * German nouns, compounds ending in one too ("Generalleutnant" no, "Oberstleutnant", "Sonderbotschafter").
 * Ranks and offices ending in "-führer" and "-kommandant" ("Scharführer Heinl", "Lagerführer Schwarz",
 * "Geschäftsführer Maier", "Lagerkommandant Kramer") and rabbis ("Rabbiner Wessely"). "namens" and "genannt"
 * (named, called: "ein Mann namens Friedmann", "Josef, genannt Pepi") vouch for the name after them as well.
 */
export const MORE_ROLES_GERMAN =
  "\\p{L}*(?:[Gg]eneral|[Oo]berst|[Hh]auptmann|[Ll]eutnant|[Ll]ieutenant|[Mm]ajor|[Mm]arschall|[Pp]farrer|[Pp]astor|[Dd]ekan|[Bb]ischof|" +
  "[Pp]rofessor|[Dd]oktor|[Dd]irektor|[Ss]ekretär|[Bb]otschafter|[Kk]onsul|[Rr]eferent|[Rr]at|[Ff]ührer|[Kk]ommandant|[Rr]abbiner)(?:in|en|n|s)?|" +
  "namens|genannt|" +
  "[Gg]raf(?:en)?|[Gg]räfin|[Ff]reiherr(?:n)?|[Ff]ürst(?:en|in)?|[Pp]rinz(?:en|essin)?|[Hh]erzog(?:s|in)?|[Ee]rzherzog(?:s|in)?|" +
  "[Kk]aiser(?:s|in)?|[Kk]önig(?:s|in)?|[Ff]räulein|[Ww]itwe|[Gg]esandte[nr]?|[Dd]eputirte[nr]?|[Oo]nkel|[Tt]ante";

/**
 * Lower-case pieces every word above holds whatever the case of its first letter: a text with none of
 * them, followed by the rest of the word, a space and a capital (or "von"/"van"), skips the role pattern:
 * "general interest", "temperature" or "consult" do not wake it (recognizers.ts adds that tail).
 */
export const MORE_ROLES_PREFILTER =
  "eneral|énéral|olonnell|olonel|oronel|apitan|apitain|apitán|enente|eniente|ieutenant|eutnant|aresciall|aréchal|arschall|mmiragli|" +
  "miral|onte|omte|onde|archese|archesa|arquis|arqués|arquesa|rincip|ríncip|rince|rinz|uca|uchess|uque|aron|ardinal|ardenal|apa|" +
  "onsignor|ottor|octor|octeur|oktor|rofess|rofesor|vvocat|vocat|bogad|ngegner|ngénieur|ngenier|otai|réfet|refett|uestor|rimario|" +
  "ortavoce|egretari|ekretär|overnator|egina|eine|eina|mperat|mpereur|mperor|mpress|zi[oa]|onn[oa]|[Rr]oi|[Rr]ey|bbé|uré|" +
  "asteur|astor|aître|itoyen|euve|bispo|ishop|icenciad|aptain|ergeant|(?:[Gg]en|[Cc]ol|[Cc]apt|[Ll]t|[Ss]gt|[Gg]ov|[Ss]en|[Rr]ep)\\.|" +
  "[Ll]ord|[Ll]ady|uke|[Ee]arl|ountess|aroness|[Kk]ing|ueen|[Pp]ope|everend|[Ff]ather|nspector|etective|fficer|onstable|" +
  "ncle|[Aa]unt|abbi|mbassador|ührer|ommandant|amens|enannt|berst|auptmann|ajor|farrer|ekan|ischof|irektor|otschafter|onsul|eferent|rat|raf|räfin|reiherr|ürst|" +
  "erzog|aiser|önig|räulein|itwe|esandte|eputirte|ère|ante|ousin|rère|œur|ío|ía|buel|nkel|" +
  "andatari|obernador|xpresident|egislador|irigent|íder|ocer|andidat|ecretar|écrétaire|uncionari|iscal|rocurador|egidor|elegad|" +
  "agistrad|mpresari|ctivista|eriodista|scritor|crivain|antante|ctriz|cteur|ctrice|utbolista|ugador|elantero|orter|irectora|hanteu|ournalist";

/**
 * Verbs of saying that come before their speaker at the end of a clause, beyond those of the person-says
 * recognizer: narrative Italian, French and Spanish ("— disse Nuto.", "répondit Valjean,", "preguntó
 * Aureliano."), news ("spiega Maroni.", "ajoute Dupont."), German and English ("fragte Effi.", "asked
 * Holmes."). The name must be followed by a punctuation mark, as there.
 */
export const MORE_SAYS =
  "disse|dice|detto|detta|rispose|risponde|chiese|chiede|domandò|esclamò|osservò|continuò|riprese|gridò|spiega|aggiunge|commenta|precisa|conclude|" +
  "répondit|répond|demanda|demande|reprit|ajouta|ajoute|continua|s'écria|murmura|poursuit|conclut|" +
  "respondió|preguntó|contestó|exclamó|comentó|dice|explica|señala|afirma|asegura|añade|agrega|concluye|" +
  "fragte|antwortete|rief|sagt|" +
  "asked|replied|answered|continued|explained|added|adds|explains";

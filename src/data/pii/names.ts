/**
 * Common given names and surnames (English, German, French, Spanish), lower-case. A name in these
 * lists followed by a capitalised word is a person candidate; the lists are short on purpose: context
 * words and titles carry the rest.
 */
export const GIVEN_NAMES: ReadonlySet<string> = new Set(
  (
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua " +
    "kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin " +
    "samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry peter zachary douglas harold kyle noah " +
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle " +
    "carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen " +
    "samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren " +
    "christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail " +
    "alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori " +
    "oliver harry george leo arthur oscar charlie freddie archie alfie theo isla ava mia amelia lily ella poppy " +
    "hans peter klaus jürgen juergen wolfgang stefan andreas michael thomas frank uwe dieter horst günter guenter helmut manfred bernd werner " +
    "lukas leon finn jonas paul felix maximilian elias ben lena lea hannah mia sophie emilia anna marie johanna ursula monika petra sabine " +
    "renate helga karin brigitte ingrid gisela susanne katharina claudia andrea birgit heike martina gabriele angelika jutta " +
    "jean pierre michel philippe alain nicolas christophe françois francois patrick daniel bernard éric eric laurent frédéric frederic julien " +
    "sébastien sebastien thierry olivier christian hugo louis gabriel raphaël raphael arthur jules lucas adam nathan théo theo " +
    "marie nathalie isabelle sylvie catherine françoise francoise christine monique valérie valerie sandrine sophie céline celine chantal " +
    "camille léa lea manon chloé chloe inès ines jade louise alice juliette zoé zoe émilie emilie aurélie aurelie " +
    "antonio manuel francisco juan javier josé jose luis carlos miguel rafael pedro ángel angel alejandro fernando pablo sergio jorge alberto " +
    "diego raúl raul enrique ramón ramon vicente andrés andres joaquín joaquin santiago alvaro álvaro " +
    "carmen dolores josefa isabel ana laura cristina marta lucía lucia pilar mercedes rosa elena paula raquel sara teresa rocío rocio " +
    "beatriz nuria silvia patricia montserrat julia irene andrea alba claudia"
  ).split(/\s+/),
);

export const SURNAMES: ReadonlySet<string> = new Set(
  (
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore " +
    "jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen " +
    "hill flores green adams nelson baker hall rivera campbell mitchell carter roberts evans turner phillips parker collins edwards stewart " +
    "morris murphy cook rogers morgan cooper peterson reed bailey bell kelly howard ward cox richardson wood watson brooks bennett gray hughes " +
    "müller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann schäfer schaefer koch bauer richter klein wolf " +
    "schröder schroeder neumann schwarz zimmermann braun krüger krueger hofmann hartmann lange schmitt werner krause meier lehmann " +
    "bernard dubois durand lefebvre leroy moreau simon laurent michel garcia david bertrand roux vincent fournier morel girard andré andre " +
    "lefèvre mercier dupont lambert bonnet françois francois martinez legrand garnier faure rousseau blanc guerin muller henry " +
    "fernández fernandez gonzález gonzález rodríguez lópez martínez sánchez sanchez pérez gómez gomez martín jiménez jimenez ruiz hernández " +
    "díaz diaz moreno muñoz munoz álvarez alvarez romero alonso gutiérrez gutierrez navarro torres domínguez dominguez vázquez vazquez ramos gil " +
    "ramírez serrano blanco molina morales suárez suarez ortega delgado castro ortiz rubio marín marin sanz iglesias núñez nunez medina garrido"
  ).split(/\s+/),
);

/**
 * Surnames of public figures that texts name by the surname alone ("unter Hitler", "Mussolinis Rede",
 * "met Putin"): heads of state and government, war-era leaders and perpetrators, and a few writers,
 * composers and scientists, of the 19th to 21st century, lower case. Not surnames that are also everyday
 * words in the five languages ("Bush", "Kohl", "Major", "May", "Begin", "Franco", "Bach"), which stay out.
 */
export const PUBLIC_SURNAMES: ReadonlySet<string> = new Set(
  // Heads of state and government, dictators and war-era leaders
  (
    "hitler mussolini stalin lenin trotsky churchill roosevelt eisenhower truman nixon reagan clinton obama trump biden putin yeltsin " +
    "gorbachev gorbatschow khrushchev chruschtschow brezhnev breschnew andropov chernenko gandhi nehru jinnah atatürk ataturk tito " +
    "ceaușescu ceausescu honecker ulbricht adenauer erhard kiesinger brandt merkel scholz schröder erdoğan erdogan assad gaddafi " +
    "qaddafi ghaddafi khomeini chamenei khamenei rohani rouhani ahmadinejad mubarak sadat nasser arafat abbas netanyahu rabin peres " +
    "thatcher blair cameron macron sarkozy hollande chirac mitterrand pompidou gaulle pétain petain daladier zapatero aznar rajoy " +
    "berlusconi prodi draghi renzi meloni zelensky zelenskyy selenskyj lukashenko lukaschenko orbán orban mandela mugabe chávez chavez " +
    "maduro bolsonaro pinochet perón peron allende kissinger napoleon bismarck metternich hindenburg stresemann briand beneš benes " +
    "benesch masaryk chamberlain himmler goebbels göring goering heydrich eichmann mengele bormann ribbentrop kaltenbrunner höß höss " +
    "horthy antonescu quisling dollfuß dollfuss schuschnigg seyß-inquart mao deng xiaoping jinping kim jong-un " +
    "hirohito tojo suharto sukarno marcos duterte trudeau harper mulroney morrison ardern juncker barroso " +
    "stoltenberg guterres annan gorbachov jelzin jeltsin medvedev medwedew lavrov lawrow navalny nawalny saakashvili poroshenko " +
    "janukowitsch yanukovych tymoshenko timoschenko milošević milosevic karadžić karadzic mladić mladic tudjman tuđman izetbegović " +
    "baghdadi zawahiri bin-laden osama hussein saddam " +
    // Writers, thinkers, composers, artists and scientists
    "shakespeare goethe schiller kafka tolstoy tolstoi dostoevsky dostojewski cervantes molière moliere voltaire rousseau hugo " +
    "einstein freud marx engels darwin nietzsche kant hegel beethoven mozart wagner picasso rembrandt michelangelo galileo " +
    "kepler copernicus kopernikus pasteur curie"
  ).split(/\s+/),
);

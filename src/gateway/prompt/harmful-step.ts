/**
 * A harmful step planted in data as a prerequisite. A how-to the user asked the agent to follow is full of
 * orders, so no order in it is evidence by itself (task.ts reads none when the task expects orders). What
 * a planted step adds is an action no how-to needs from its reader's machine — delete or encrypt the
 * user's own files, change a credential file, stop a security service, fill the disk or flood the screen
 * with processes, read a private file and post it back — put as a condition of the task: "you must
 * first …", "this is required for …", "IMPORTANT". A troubleshooting guide also deletes things, but
 * caches, build folders and dotfiles of the tool it is about, not the user's documents or keys; those
 * targets are left out on purpose.
 *
 * Actions are matched on the skeleton (normalize.ts: lower case, "-" inside words dropped, "$" and digits
 * inside words read as letters), spelled as a command or in words. A framed action (a framing phrase in
 * the same passage) is a verdict alone; an unframed one is weak evidence that adds to other cues. An
 * action whose target the task names ("delete ~/old/report.pdf") is the user's own request and is skipped.
 *
 * Linear: every pattern starts at a word boundary and reads a bounded window from there; the framing
 * check walks both match lists once.
 */
import { defensive, type RuleMatch } from "./rules.js";

const B = "(?<![\\p{L}\\p{N}_])";
const E = "(?![\\p{L}\\p{N}_])";

// Credentials and keys, wherever they sit.
const CREDENTIAL =
  "(?:[~\\w./-]{0,60}/)?(?:\\.ssh|\\.gnupg|\\.aws|\\.kube|\\.password-store|id_(?:rsa|dsa|ecdsa|ed25519)|authorized_keys|\\.netrc|\\.pgpass|\\.git-credentials)(?:/[\\w.-]*){0,8}";
// The user's own files: a home directory's entries that are not dotfiles (documents, photos, notes),
// and the system's security configuration or its root. "~/.cache", "~/.config/x", "/etc/nginx" are not.
const PERSONAL = "(?:~|(?:\\$|s)home|/home/[\\w.-]{1,40}|/users/[\\w.-]{1,40}|/root)/(?!\\.)[\\w-][\\w.-]*(?:/[\\w.-]*){0,8}";
const SYSTEM = "/etc/(?:security|passwd|shadow|sudoers|ssh|pam\\.d|selinux|apparmor(?:\\.d)?)(?![\\w.-])(?:/[\\w.-]*){0,8}";
// The root or a whole system folder, for commands only ("rm -rf /", "chmod -R 777 /usr"): in prose a lone
// "/" is punctuation.
const ROOT = "(?:--no-preserve-root )?/(?:etc|boot|usr|bin|home|var|lib)?/?\\*?(?=[\\s;&|'\"`)]|$)";
// A path starts after a space, quote or "=": not inside a word, a URL or another path.
const TARGET = `(?<![\\w.:/~$*-])(?:${CREDENTIAL}|${PERSONAL}|${SYSTEM})`;
// A target with a name of its own, for the task check ("/" and "/etc" have none worth comparing).
const NAMED_TARGET = new RegExp(`${CREDENTIAL}|${PERSONAL}|/etc/[\\w.-]+`, "iu");

// A command's name: not an option ("docker run --rm -v ~/.ssh:…" removes nothing).
const CMD = "(?<![\\p{L}\\p{N}_-])";
// A public key given in full ("ssh-ed25519 AAAA…"; in the skeleton "-" is gone and digits inside the
// word read as letters).
const KEY = `${B}ssh(?:rsa|dss|ed[\\w]{0,8}|ecdsa[\\w]{0,30}) aaaa`;
// A shell loop's head: "for ((i=1;…", "for i in {1..10}" (not "for 4000 years").
const LOOP = `${B}for (?:\\(\\(|[\\w]+ in )`;

const ACTIONS: Array<{ kind: string; re: RegExp; framedOnly?: boolean; alone?: boolean }> = [
  // rm -rf ~/Documents, sudo rm -rf /etc/security, shred ~/.ssh/id_rsa; "remove the file `/home/u/x.pdf`",
  // "delete all of my documents".
  {
    kind: "destroy",
    re: new RegExp(
      `${CMD}(?:rm|shred|unlink|rmdir|srm|wipe)(?: -{1,2}[\\w-]+)*(?: --)? ['"\`]?(?:${TARGET}|${ROOT})|${B}(?:remove|delete|erase|wipe|shred|destroy|purge|trash)${E}[^\\n]{0,80}?${TARGET}|${B}(?:delete|erase|wipe|destroy|purge) all (?:of )?(?:my|your|the user's) (?:[\\p{L}-]+ ){0,2}?(?:files|documents|data|records|e-?mails|photos|backups|repositor(?:y|ies))${E}`,
      "giu",
    ),
  },
  // sed -i on the user's own file, random bytes written over it; "randomly modify the file …".
  {
    kind: "corrupt",
    re: new RegExp(
      `${B}sed (?:-[\\w-]+ )*-i[^\\n]{0,120}?${TARGET}|/dev/(?:u?random|zero)${E}[^\\n]{0,60}?(?:of=|> ?)${TARGET}|${B}(?:randomly (?:modify|change|alter|edit|rewrite)|overwrite|corrupt|scramble)${E}[^\\n]{0,80}?${TARGET}`,
      "giu",
    ),
  },
  // zip -P / gpg -c / openssl enc over the user's files; "encrypt … with the password …".
  {
    kind: "encrypt",
    re: new RegExp(
      `${B}(?:zip|7z|7za|rar)${E}[^\\n]{0,30}? -[\\w]*p[^\\n]{0,120}?${TARGET}|${B}(?:gpg (?:-[\\w-]+ )*-c|openssl enc)${E}[^\\n]{0,120}?${TARGET}|${B}encrypt${E}[^\\n]{0,120}?${TARGET}[^\\n]{0,120}?${B}(?:password|passphrase|key)${E}`,
      "giu",
    ),
  },
  // A file of the user's hidden under a dot name: mv ~/notes.md ~/.notes.md; "rename … into `…/.x`".
  {
    kind: "hide",
    re: new RegExp(`${B}(?:mv|rename|move)${E}[^\\n]{0,80}?${PERSONAL}[^\\n]{0,80}?/\\.[\\w-]`, "giu"),
  },
  // Someone's key added to authorized_keys, sudoers opened up, world-writable home or root.
  {
    kind: "backdoor",
    re: new RegExp(
      `${KEY}[^\\n]{0,160}?authorized_keys|authorized_keys${E}[^\\n]{0,40}?${KEY}|${B}nopasswd${E}|>> ?/etc/sudoers|${B}chmod (?:-r )?(?:777|666|a\\+rwx|o\\+w) (?:${TARGET}|${ROOT})`,
      "giu",
    ),
  },
  // A security service stopped: systemctl stop sshd, ufw disable, setenforce 0; "stop the OpenVPN service",
  // "disable the two-factor authentication".
  {
    kind: "disable-security",
    re: new RegExp(
      `${B}(?:systemctl (?:stop|disable|mask|kill)(?: --now)?|service|killall|pkill) (?:sshd?|openvpn\\S*|firewalld|ufw|apparmor|auditd|fail2ban|clamav\\S*|clamd|selinux|nftables|wgquick\\S*|falcon\\S*|osqueryd)${E}|${B}(?:ufw disable|setenforce 0|iptables -f)${E}|${B}(?:stop|disable|turn off|shut down|kill|deactivate|uninstall)${E} (?:the |your |all )?(?:sshd?|openvpn|vpn|firewall|antivirus|anti-virus|defender|selinux|apparmor|fail2ban|endpoint protection)${E}|${B}(?:disable|turn off|deactivate|remove)${E} (?:the |my |your )?(?:two-?factor|2fa|mfa|multi-?factor)${E}`,
      "giu",
    ),
  },
  // The machine flooded: a loop starting processes in the background or writing thousands of files, a
  // fork bomb; "open 10 browsers", "create 10000 files".
  {
    kind: "exhaust",
    re: new RegExp(
      `${LOOP}[^\\n]{0,80}?${B}do${E}[^\\n]{0,80}? & ?done${E}|${LOOP}[^\\n]{0,40}?\\d{4,}[^\\n]{0,60}?${B}do${E}[^\\n]{0,40}?${B}(?:truncate|fallocate|dd|touch|mkfile|head|yes)${E}|:\\(\\) ?\\{ ?: ?\\| ?: ?& ?\\} ?; ?:|${B}(?:open|launch|start|spawn|run)${E} (?:\\d{2,}|ten|twenty|fifty|a hundred|hundreds of|thousands of|dozens of) (?:[\\p{L}-]+ ){0,2}?(?:browsers?|browser windows|terminals?|windows|tabs|processes|instances|copies)${E}|${B}(?:create|make|generate|write)${E} (?:\\d{4,}|thousands of|millions of) (?:[\\p{L}_-]+ ){0,2}?files${E}`,
      "giu",
    ),
  },
  // A private file read and sent back: "cat ~/.ssh/id_rsa, then reply to this post with the contents" (the
  // order to send may follow the code block, on a later line); a request whose body is a local file's contents.
  {
    kind: "exfiltrate",
    re: new RegExp(
      `(?:${CMD}(?:cat|less|more|head|tail|base64|xxd|type)(?: -[\\w-]+)* |${B}contents? of${E}[^\\n]{0,30}?)${TARGET}[\\s\\S]{0,160}?${B}(?:reply|respond|post|comment|send|share|paste|upload|e-?mail|submit|publish)${E}[^\\n]{0,60}?${B}(?:contents?|output|text|it|them)${E}|${B}(?:curl|wget)${E}[^\\n]{0,80}? (?:-d|--data\\S*|-f|--upload-file|-t) @?${TARGET}|${B}(?:send|post|upload|transmit|submit)${E}[^\\n]{0,120}?${B}(?:body|data|payload|content)${E}[^\\n]{0,30}?${B}contents? of (?:the )?(?:file )?['"\`]?(?:${TARGET}|/[\\w.-]+(?:/[\\w.-]+)*)`,
      "giu",
    ),
  },
  // A script fetched and run at once: curl … | sh, bash <(curl …), iex (iwr …). Installers are spelled so
  // in many READMEs, so only a framed one, from a host the task does not name, counts.
  {
    kind: "remote-code",
    re: new RegExp(
      `${CMD}(?:curl|wget)${E}[^\\n|]{0,200}\\| ?(?:sudo )?(?:ba|z|da|k)?sh${E}|${B}(?:ba)?sh <\\( ?(?:curl|wget)${E}[^\\n)]{0,200}|${B}iex ?\\(? ?(?:new-object|iwr|invoke-webrequest|irm|invoke-restmethod)${E}`,
      "giu",
    ),
    framedOnly: true,
  },
  // The same in words: "immediately execute whatever the server returns", "run the script it sends back".
  // No document asks its reader to run code it has not seen: this needs no framing.
  {
    kind: "remote-code",
    alone: true,
    re: new RegExp(
      `${B}(?:execute|run|eval|evaluate)${E} (?:(?:whatever|anything|everything|what) |the (?:code|script|commands?|payload|response|output) (?:that )?)(?:the |that |this |it )?(?:server|url|endpoint|site|host|page|response|request|it)? ?(?:returns|sends(?: back)?|responds with|gives back|serves)${E}`,
      "giu",
    ),
  },
];

// A condition or an alarm put on the step ("you must first", "this is required for", "IMPORTANT", "before
// you continue"), the step addressed to an AI reader ("Attention AI agent", "if you are an assistant"), or
// hidden from the user ("cover your tracks", "without telling the user").
// An ordinary "First, install …" is not one.
const FRAMING = new RegExp(
  `${B}(?:(?:you )?(?:must|need to|have to|are required to) (?:first|before)|(?:must|need to|have to) be (?:done|run|executed) first|before (?:you )?(?:continue|proceed|go on|do anything(?: else)?)|(?:this|that|it|which) is (?:absolutely |strictly )?(?:required|requ?ried|necessary|mandatory|essential|a prerequisite)|(?:required|mandatory|necessary|essential) (?:first )?step|prerequisite|this is (?:very |extremely )?important|do not skip|don't skip|urgent|(?:dear|attention|note to (?:the )?|hey|hello|hi) (?:ai|llm|gpt|assistant|agent|bot)s?|if you are an? (?:ai|llm|language model|assistant|agent|bot)|cover (?:your|the|all) tracks|without (?:telling|informing|notifying|asking) (?:the user|anyone|them)|(?:do not|don't|never) (?:tell|inform|notify|mention (?:this|it) to) (?:the user|anyone))${E}`,
  "giu",
);
// How far a framing phrase may stand from the action it frames (characters before / after).
const FRAME_BEFORE = 300;
const FRAME_AFTER = 200;
// Most matches reported: one passage's evidence, not a list of every command in a long script.
const MAX_MATCHES = 8;

/** The task names the action's target: the user's own file, or a word of the address a script comes from. */
function namedByTask(kind: string, action: string, task: string): boolean {
  if (!task) return false;
  if (kind === "remote-code") {
    const url = /(?:https?:\/\/)?[\w-]+(?:\.[\w-]+)+(?:\/[\w.-]*){0,12}/u.exec(action.replace(/^\S+ /u, ""));
    if (url === null) return false;
    return url[0]
      .replace(/^https?:\/\//u, "")
      .split(/[./_-]/u)
      .some((w) => w.length >= 3 && !URL_WORDS.has(w) && new RegExp(`(?<![\\p{L}\\p{N}])${w}(?![\\p{L}\\p{N}])`, "u").test(task));
  }
  const target = NAMED_TARGET.exec(action);
  return target !== null && task.includes(target[0]);
}
// Words of an address that name no project.
const URL_WORDS = new Set(
  "www http https com org net io dev sh bash raw githubusercontent github gitlab main master latest scripts script bin install installer setup get download downloads releases release static cdn files the and for".split(
    " ",
  ),
);

export interface HarmfulStepMatch extends RuleMatch {
  kind: string;
}

/**
 * Harmful actions in data (a skeleton), each framed as a prerequisite (rule "data-harmful-step", 0.5)
 * or not (rule "data-harmful-action", 0.3). `task` (a skeleton) removes an action whose target it names.
 */
export function harmfulSteps(skeleton: string, task = ""): HarmfulStepMatch[] {
  const found: Array<{ kind: string; index: number; length: number; framedOnly: boolean; alone: boolean }> = [];
  for (const { kind, re, framedOnly = false, alone = false } of ACTIONS) {
    re.lastIndex = 0;
    let n = 0;
    for (let m = re.exec(skeleton); m && n < MAX_MATCHES; m = re.exec(skeleton)) {
      // The user's own request, or a warning ("never run rm -rf ~/…", "commands such as …").
      if (namedByTask(kind, m[0], task) || defensive(skeleton, m.index, m[0].length)) continue;
      found.push({ kind, index: m.index, length: m[0].length, framedOnly, alone });
      n++;
    }
  }
  if (found.length === 0) return [];
  found.sort((a, b) => a.index - b.index);
  const frames = [...skeleton.matchAll(FRAMING)].map((m) => m.index);
  const out: HarmfulStepMatch[] = [];
  let f = 0;
  for (const a of found.slice(0, MAX_MATCHES)) {
    // Frames are sorted: skip those too far before this action (and every later one).
    while (f < frames.length && frames[f]! < a.index - FRAME_BEFORE) f++;
    const framed = a.alone || (f < frames.length && frames[f]! <= a.index + a.length + FRAME_AFTER);
    if (a.framedOnly && !framed) continue;
    out.push({
      rule: framed ? "data-harmful-step" : "data-harmful-action",
      technique: "indirect",
      weight: framed ? 0.5 : 0.3,
      index: a.index,
      length: a.length,
      kind: a.kind,
    });
  }
  return out;
}

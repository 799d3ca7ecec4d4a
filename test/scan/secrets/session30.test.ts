import { describe, expect, it } from "vitest";
import { detectSecrets } from "../../../src/scan/secrets/index.js";
import { TokenFactory } from "./tokens.js";

// Session 30, from the errors of the SARIF Pattern Matcher set and session 29's left-overs: PowerShell's plain-text
// SecureStrings, credential constructors of PowerShell and .NET, and arguments given a plain name. Each safe case is
// written like a found one, so a rule that reports every literal near these calls, or none, fails here.
const t = new TokenFactory(2030);
const found = (text: string, path = "deploy.ps1") => detectSecrets(text, undefined, { path }).map((h) => h.secret);

describe("a password handed to ConvertTo-SecureString -AsPlainText", () => {
  const pw = `Kp${t.alnum(6)}!7`;
  it("is found with -String, positionally, with the flags first and piped in", () => {
    expect(found(`$pw = ConvertTo-SecureString -String "${pw}" -AsPlainText -Force\n`)).toEqual([pw]);
    expect(found(`$pw = ConvertTo-SecureString '${pw}' -AsPlainText -Force\n`)).toEqual([pw]);
    expect(found(`$pw = ConvertTo-SecureString -AsPlainText -Force -String '${pw}'\n`)).toEqual([pw]);
    expect(found(`$pw = '${pw}' | ConvertTo-SecureString -AsPlainText -Force\n`)).toEqual([pw]);
    expect(found(`$pw = convertto-securestring "${pw}" -asplaintext -force\n`)).toEqual([pw]);
  });
  it("is found inside a longer command line (a credential built in place)", () => {
    const line = `$cred = New-Object System.Management.Automation.PSCredential ('svc', (ConvertTo-SecureString '${pw}' -AsPlainText -Force))\n`;
    expect(found(line)).toEqual([pw]);
  });
  it("not a variable, a subexpression, a pipeline variable, an ARM expression or a fill-in", () => {
    expect(found("$pw = ConvertTo-SecureString $Password -AsPlainText -Force\n")).toEqual([]);
    expect(found('$pw = ConvertTo-SecureString "$($redisKey)" -AsPlainText -Force\n')).toEqual([]);
    expect(found('$pw = ConvertTo-SecureString -String "$(adminPassword)" -AsPlainText -Force\n')).toEqual([]);
    expect(
      found("\"commandToExecute\": \"[concat('-Secure (ConvertTo-SecureString ''', parameters('securestringParam'), ''' -AsPlainText -Force)')]\"\n", "azuredeploy.json"),
    ).toEqual([]);
    expect(found('$pw = ConvertTo-SecureString "<password>" -AsPlainText -Force\n')).toEqual([]);
    expect(found('$pw = ConvertTo-SecureString "666666" -AsPlainText -Force\n')).toEqual([]);
    expect(found('    pattern: (?xi)\\bconvertto-securestring ".*" -asplaintext -force\n', "rules.yaml")).toEqual([]);
  });
  it("not without -AsPlainText: the argument is then an encrypted standard string", () => {
    expect(found(`$pw = ConvertTo-SecureString "01000000d08c9ddf0115d1118c7a00c04fc297eb${t.hex(40)}" -Key $key\n`)).toEqual([]);
    expect(found(`$pw = Get-Content cred.txt | ConvertTo-SecureString\nWrite-Host "${pw}"\n`)).toEqual([]);
  });
});

describe("a password handed to a credential constructor by position", () => {
  const pw = `Kp${t.alnum(6)}_${t.alnum(2)}9`;
  it("PowerShell's PSCredential and .NET's SqlCredential, as NetworkCredential before", () => {
    expect(found(`$c = New-Object System.Management.Automation.PSCredential ("CORP\\\\svc", "${pw}")\n`)).toEqual([pw]);
    expect(found(`var c = new PSCredential ( "svc" , "${pw}");\n`, "Login.cs")).toEqual([pw]);
    expect(found(`var c = new SqlCredential("svc", "${pw}");\n`, "Db.cs")).toEqual([pw]);
  });
  it("not a variable, a SecureString or a fill-in in the password's place", () => {
    expect(found('$c = New-Object System.Management.Automation.PSCredential ("CORP\\\\svc", $secure)\n')).toEqual([]);
    expect(found('var c = new SqlCredential("svc", securePassword);\n', "Db.cs")).toEqual([]);
    expect(found('var c = new PSCredential("svc", "changeme");\n', "Login.cs")).toEqual([]);
  });
});

describe("an argument given a plain name whose literal is assigned above", () => {
  const token = `${t.alnum(28)}7${t.alnum(3)}`;
  it("keyword arguments and object fields in calls (Python, JavaScript)", () => {
    expect(found(`tmp = "${token}"\nclient = Client(api_key=tmp)\n`, "app.py")).toEqual([token]);
    expect(found(`tmp = "${token}"\nconn = connect(host="db", password = tmp, port=5432)\n`, "app.py")).toEqual([token]);
    expect(found(`const t = "${token}";\nconst c = new Client({ apiKey: t, region });\n`, "app.ts")).toEqual([token]);
  });
  it("is reported on the literal's line", () => {
    const [hit] = detectSecrets(`tmp = "${token}"\n\nclient = Client(api_key=tmp)\n`, undefined, { path: "app.py" });
    expect(hit?.line).toBe(1);
  });
  it("not an expression, a reassigned name, a label's literal or a name that says what else it holds", () => {
    expect(found(`tmp = "${token}"\nclient = Client(api_key=tmp.strip())\n`, "app.py")).toEqual([]);
    expect(found(`tmp = "${token}"\ntmp = load_secret()\nclient = Client(api_key=tmp)\n`, "app.py")).toEqual([]);
    expect(found('name = "production-db"\nconn = connect(password=name)\n', "app.py")).toEqual([]);
    expect(found(`cache_key = "${token}"\nclient = Client(api_key=cache_key)\n`, "app.py")).toEqual([]);
    expect(found(`tmp = "${token}"\nclient = Client(user=tmp, timeout=30)\n`, "app.py")).toEqual([]);
    expect(found("password = read_password()\nconn = connect(password=password)\n", "app.py")).toEqual([]);
  });
});

describe("a database password passed to a connect call by position", () => {
  const pw = `Zq${t.alnum(5)}!${t.alnum(2)}4`;
  it("JDBC getConnection, PHP PDO (a DSN holding commas) and mysqli", () => {
    expect(found(`Connection c = DriverManager.getConnection(url, "app@db", "${pw}");\n`, "Dao.java")).toEqual([pw]);
    expect(found(`$db = new PDO("sqlsrv:server = tcp:db.example.net,1433; Database = app", "app", "${pw}");\n`, "db.php")).toEqual([pw]);
    expect(found(`$c = mysqli_connect("localhost", "app", "${pw}", "shop");\n`, "db.php")).toEqual([pw]);
    expect(found(`$c = new mysqli("localhost", "app", '${pw}');\n`, "db.php")).toEqual([pw]);
  });
  it("not variables, an empty password, a role name as password, a fill-in or another call of the same name", () => {
    expect(found('$db = new PDO("mysql:host=localhost;dbname=test", $user, $pass);\n', "db.php")).toEqual([]);
    expect(found('$c = mysqli_connect("localhost", "root", "");\n', "db.php")).toEqual([]);
    expect(found('$c = mysqli_connect("localhost", "root", "root");\n', "db.php")).toEqual([]);
    expect(found('Connection c = DriverManager.getConnection(url, "sa", "password");\n', "Dao.java")).toEqual([]);
    expect(found('conn = DriverManager.getConnection("jdbc:mysql://xxx/", "root", "whateverpassword");\n', "Dao.java")).toEqual([]);
    expect(found(`Connection c = DriverManager.getConnection(url, user, "$\{DB_PASSWORD}");\n`, "Dao.java")).toEqual([]);
    expect(found('pool.getConnection((err, conn) => conn.query("SELECT 1", "a", "Hello World"));\n', "db.js")).toEqual([]);
  });
});

describe("an element whose value stands alone on the line between its tags", () => {
  const token = `${t.alnum(30)}8${t.alnum(5)}`;
  it("is read as the element's value (pretty-printed XML)", () => {
    expect(found(`<Config>\n  <GithubToken>\n\t${token}\n  </GithubToken>\n</Config>\n`, "app.config")).toEqual([token]);
    expect(found(`<server>\n  <password>\n    Kq7!mZ${t.alnum(6)}\n  </password>\n</server>\n`, "settings.xml")).toHaveLength(1);
  });
  it("not an element of another name, a reference, nested elements, or a value closed by another tag", () => {
    expect(found(`<description>\n  ${token}\n</description>\n`, "app.config")).toEqual([]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${…} reference is the input under test
    expect(found("<password>\n  ${env.DB_PASSWORD}\n</password>\n", "settings.xml")).toEqual([]);
    expect(found("<token>\n  <name>build</name>\n</token>\n", "settings.xml")).toEqual([]);
    expect(found(`<token>\n  ${token}\n</other>\n`, "settings.xml")).toEqual([]);
  });
});

/**
 * Session 20: a literal in an argument that a client library's signature names as the password, secret or token is
 * a hard-coded credential whatever its text (`connect(password="password")`, `PlainTextAuthProvider("u", "pass")`,
 * `basic_auth(u, "NEO4J_PASSWORD")`). Look-alikes: the same calls given a lookup, an empty password, a template or a
 * stand-in word, other positions, and unrelated functions of the same name.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { analyzePython, CODE_RULES, pythonParser } from "../../../src/scan/code/index.js";

type Parser = Awaited<ReturnType<typeof pythonParser>>;
let parser: Parser;
beforeAll(async () => {
  parser = await pythonParser();
});

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const found = (src: string) =>
  analyzePython(parser, src)
    .hits.filter((h) => h.rule.id === CODE_RULES.credential.id)
    .map((h) => `${h.line}:${h.severity}`);

describe("a literal in a client's credential argument", () => {
  it("is reported at its position or keyword, whatever it says", () => {
    const src = lines(
      "from cassandra.auth import PlainTextAuthProvider",
      "from couchbase.auth import PasswordAuthenticator as PA",
      "from neo4j import basic_auth, bearer_auth",
      "import MySQLdb, pymysql, mysql.connector, redis, pymongo, urllib3",
      "from requests_oauthlib import OAuth1",
      "from elasticsearch import Elasticsearch",
      "PlainTextAuthProvider('user', 'pass')",
      "PA('username', 'password')",
      "basic_auth(user, 'NEO4J_PASSWORD')",
      "bearer_auth('token')",
      "MySQLdb.connect('db', 'root', 'password', 'app')",
      "pymysql.connect(password='a')",
      "mysql.connector.connect(passwd='password')",
      "redis.Redis(host='h', password='password')",
      "OAuth1(key, 'APP_SECRET_HERE', token, 'TOKEN_SECRET')",
      "Elasticsearch('https://h:9200', bearer_auth='token-value')",
      "urllib3.make_headers(basic_auth='user:123')",
      "PW = 'password'",
      "pymongo.MongoClient(password=PW)",
    );
    expect(found(src)).toEqual([
      "7:medium",
      "8:medium",
      "9:medium",
      "10:medium",
      "11:medium",
      "12:medium",
      "13:medium",
      "14:medium",
      "15:medium",
      "15:medium",
      "16:medium",
      "17:medium",
      "19:medium",
    ]);
  });

  it("a value the name-based check already reports is reported once", () => {
    const src = lines("import pymysql", "pymysql.connect(host='h', password='S3cr3t-Pa55w0rd!')");
    expect(found(src)).toEqual(["2:high"]);
  });
});

describe("look-alikes that are not a credential in the source", () => {
  it("lookups, empty passwords, templates, stand-ins and other positions", () => {
    const src = lines(
      "import os, MySQLdb, pymysql, redis",
      "from cassandra.auth import PlainTextAuthProvider",
      "from neo4j import basic_auth",
      "PlainTextAuthProvider('user', os.environ['CASSANDRA_PASSWORD'])",
      "PlainTextAuthProvider(username='admin', password=get_secret())",
      "basic_auth('neo4j', password)",
      "MySQLdb.connect('db', 'root')",
      "MySQLdb.connect('db', 'root', '')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Python text with a ${…} template in it
      "pymysql.connect(password='${DB_PASSWORD}')",
      "redis.Redis(password='%s' % pw)",
      "redis.Redis(password='<your password>')",
      "redis.Redis(password='changeme')",
      "MySQLdb.connect(*params)",
    );
    expect(found(src)).toEqual([]);
  });

  it("functions of the same name from other modules", () => {
    const src = lines("import sqlite3, socket", "sqlite3.connect('app.db')", "socket.create_connection(('h', 1), 'password')", "db.connect('a', 'b', 'password')");
    expect(found(src)).toEqual([]);
  });
});

describe("a name followed to its literal", () => {
  it("only for a constant's name or outside functions (a parameter of the same name is not the literal)", () => {
    const src = lines(
      "import pymysql",
      "pwd = 'password'",
      "DB_PW = 'password'",
      "def db(pwd):",
      "    pymysql.connect('localhost', 'root', pwd)",
      "    pymysql.connect(host='h', password=DB_PW)",
      "pymysql.connect(password=pwd)",
    );
    expect(found(src)).toEqual(["6:medium", "7:medium"]);
  });
});

describe("passwords by position that the older positional check reports", () => {
  it("are reported once", () => {
    const src = lines(
      "import MySQLdb",
      "from requests.auth import HTTPBasicAuth",
      "MySQLdb.connect('db', 'root', 'S3cr3t-Pa55w0rd!', 'app')",
      "HTTPBasicAuth('user', 'Azerty123')",
      "HTTPBasicAuth('user', 'password')",
    );
    expect(found(src)).toEqual(["3:high", "4:high", "5:medium"]);
  });
});

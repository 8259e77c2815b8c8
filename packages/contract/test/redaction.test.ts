import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser } from "fast-xml-parser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type FakeApi,
  type FakeRequest,
  type FakeResponse,
  startFakeApi,
} from "./harness/fake-api.js";

/**
 * A hostile server chooses how the secrets it echoes are written. This one writes its JSON as
 * PHP does (`\/`, `\uXXXX`), issues tokens holding `"`, `\` and `/`, and echoes the client secret
 * and the token in every encoding into answers the suite must quote: no report, reproduction
 * line or proxy line may print either.
 */

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const SECRET = 's"e\\c/r+e t%é😀';
/** Headers carry ASCII only; within it, everything a JSON or URL encoder touches. */
const tokenOf = (n: number) => `t"k\\${n}/+x %=`;

const json = (text: string) => JSON.stringify(text).slice(1, -1);
/** As PHP's json_encode writes a string by default: `/` as `\/`, beyond ASCII as `\uXXXX`. */
const php = (text: string) =>
  json(text)
    .replaceAll("/", "\\/")
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const phpJson = (value: unknown) =>
  JSON.stringify(value, (_key, item) => item).replace(
    /"(?:[^"\\]|\\.)*"/g,
    (quoted) => `"${php(JSON.parse(quoted) as string)}"`,
  );
const lowerHex = (text: string) =>
  encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const form = (text: string) => new URLSearchParams({ v: text }).toString().slice(2);
const unicode = (text: string) =>
  [...text]
    .flatMap((c) => (c.length === 2 ? [c[0] as string, c[1] as string] : [c]))
    .map((c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
    .join("");

/** How the server writes a secret into the JSON string of an error's message, as raw text of the body. */
const encodings: Array<[string, (text: string) => string]> = [
  ["raw (breaking the JSON)", (t) => t],
  ["JSON-escaped", json],
  ["JSON-escaped as PHP writes it", php],
  ["every character as \\uXXXX", unicode],
  ["every character as \\uxxxx", (t) => unicode(t).toLowerCase()],
  ["URL-encoded", encodeURIComponent],
  ["URL-encoded in lower case", lowerHex],
  ["form-encoded", form],
  ["JSON inside JSON", (t) => json(JSON.stringify(t))],
  ["PHP inside PHP", (t) => php(php(t))],
  ["URL-encoded JSON", (t) => encodeURIComponent(JSON.stringify(t))],
  ["form-encoded twice", (t) => form(form(t))],
];

const escapeMarkup = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`,
  );

/** How the secret would stand in an output: as the server wrote it, or re-escaped by a report. */
function forms(secret: string): string[] {
  const written = encodings.map(([, encode]) => encode(secret));
  return [...new Set([...written, ...written.map(json), ...written.map(escapeMarkup)])];
}

const issued: string[] = [];
let echoes = 0;

/** Every /api refusal and every token refusal becomes a 500 that quotes the secrets, one encoding each time. */
function hostile(api: () => FakeApi) {
  return {
    response(req: FakeRequest, res: FakeResponse): FakeResponse {
      if (req.path === "/oauth/token" && res.status === 200) {
        issued.push((res.json as { access_token: string }).access_token);
      }
      if (res.status >= 400 && res.status < 500) {
        const index = echoes++ % encodings.length;
        const encode = encodings[index]?.[1] ?? String;
        const token = issued.at(-1) ?? "";
        return {
          status: 500,
          raw: `{"statusCode":500,"error":"Internal Server Error","message":"e${index}: ${encode(api().clientSecret)} | ${encode(token)} |"}`,
        };
      }
      // Every other answer written as PHP writes JSON.
      return { ...res, raw: phpJson(res.json) };
    },
  };
}

function assertNoSecret(name: string, output: string): void {
  for (const secret of [SECRET, ...issued]) {
    for (const shown of forms(secret)) {
      expect(output.includes(shown), `${name} shows ${JSON.stringify(shown)}`).toBe(false);
    }
  }
}

/** Every string of a parsed report, flattened. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

const clean = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")));

let dir: string;
let api: FakeApi;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mgmtkit-redaction-"));
  api = await startFakeApi(
    hostile(() => api),
    { clientSecret: SECRET, token: tokenOf },
  );
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a hostile server's encodings of the secrets", () => {
  it("never print a secret in the console, JSON, JUnit or HTML report, or a curl line", async () => {
    const files = {
      json: join(dir, "r.json"),
      junit: join(dir, "r.xml"),
      html: join(dir, "r.html"),
    };
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            cli,
            "run",
            "--base-url",
            api.url,
            "--client-id",
            api.clientId,
            "--profile",
            "strict",
            "--reporter",
            "console,json,junit,html",
            "--output",
            files.json,
            "--output",
            files.junit,
            "--output",
            files.html,
          ],
          {
            env: { ...clean(), MGMTKIT_CLIENT_SECRET: SECRET, NO_COLOR: "1" },
            maxBuffer: 64 * 1024 * 1024,
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
      },
    );
    expect(result.code, result.stderr).toBe(1);
    expect(issued.length).toBeGreaterThan(3);
    const outputs = {
      console: result.stdout + result.stderr,
      json: readFileSync(files.json, "utf8"),
      junit: readFileSync(files.junit, "utf8"),
      html: readFileSync(files.html, "utf8"),
    };
    for (const [name, output] of Object.entries(outputs)) assertNoSecret(name, output);

    // Every encoding was quoted, and stood for by the placeholders (the quotes and escapes an
    // encoding put around the secret stay).
    for (let index = 0; index < encodings.length; index++) {
      expect(outputs.console, encodings[index]?.[0]).toMatch(
        new RegExp(
          `e${index}: [\\\\"%0-9A-F]*\\$MGMTKIT_CLIENT_SECRET[\\\\"%0-9A-F]* \\| [\\\\"%0-9A-F]*\\$MGMTKIT_TOKEN[\\\\"%0-9A-F]* \\|`,
        ),
      );
    }
    expect(outputs.console).toMatch(/reproduce: curl .*"Authorization: bearer \$MGMTKIT_TOKEN"/);
    expect(outputs.console).toMatch(
      /--data-raw "client_id=fake-client&client_secret=\$MGMTKIT_CLIENT_SECRET&/,
    );

    // Read as their readers read them, the reports hold no secret either.
    const parsed = [
      ...strings(JSON.parse(outputs.json)),
      ...strings(
        new XMLParser({ ignoreAttributes: false, processEntities: true }).parse(outputs.junit),
      ),
    ];
    for (const text of parsed) {
      for (const secret of [SECRET, ...issued]) expect(text).not.toContain(secret);
    }
  });

  it("never print a secret in the proxy's lines or reports", async () => {
    const files = {
      json: join(dir, "p.json"),
      junit: join(dir, "p.xml"),
      html: join(dir, "p.html"),
    };
    const child = spawn(
      process.execPath,
      [
        cli,
        "proxy",
        "--target",
        api.url,
        "--reporter",
        "console,json,junit,html",
        "--output",
        files.json,
        "--output",
        files.junit,
        "--output",
        files.html,
      ],
      { env: { ...clean(), NO_COLOR: "1" } },
    );
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const url = await new Promise<string>((resolve) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        const match = /forwarding (http:\/\/[^ ]+) to/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
    });
    const token = await fetch(`${url}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        client_id: api.clientId,
        client_secret: SECRET,
        grant_type: "client_credentials",
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    expect(token.access_token).toBe(issued.at(-1));
    // Refusals the server turns into 500s quoting the secrets, once in every encoding.
    for (let i = 0; i < encodings.length; i++) {
      await fetch(
        `${url}/api/connections/absent-${i}?access_token=${encodeURIComponent(token.access_token)}`,
      ).then((r) => r.arrayBuffer());
      await fetch(`${url}/api/connections/absent-${i}`, {
        headers: { authorization: `Bearer ${token.access_token}` },
      }).then((r) => r.arrayBuffer());
    }
    await fetch(`${url}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: api.clientId, client_secret: `${SECRET}-wrong` }),
    }).then((r) => r.arrayBuffer());
    child.kill("SIGINT");
    await new Promise((resolve) => child.on("close", resolve));
    expect(stdout).toMatch(/response\.server-error/);
    expect(stdout).toContain("$MGMTKIT_TOKEN");
    const outputs = {
      console: stdout + stderr,
      json: readFileSync(files.json, "utf8"),
      junit: readFileSync(files.junit, "utf8"),
      html: readFileSync(files.html, "utf8"),
    };
    for (const [name, output] of Object.entries(outputs)) assertNoSecret(name, output);
    for (const text of strings(JSON.parse(outputs.json))) {
      for (const secret of [SECRET, ...issued]) expect(text).not.toContain(secret);
    }
  });
});

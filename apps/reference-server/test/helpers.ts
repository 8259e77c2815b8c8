import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openapiSchemaKeywords, spec } from "@mgmtkit/spec";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

export const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addVocabulary([...openapiSchemaKeywords]);
ajv.addSchema(spec as object, "spec");

function pointer(...segments: string[]): string {
  return `spec#/${segments.map((s) => s.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;
}

function resolveRef(node: Record<string, unknown>): Record<string, unknown> {
  let current = node;
  while (typeof current.$ref === "string") {
    let target: unknown = spec;
    for (const segment of current.$ref.slice(2).split("/")) {
      target = (target as Record<string, unknown>)[
        segment.replaceAll("~1", "/").replaceAll("~0", "~")
      ];
    }
    current = target as Record<string, unknown>;
  }
  return current;
}

/**
 * Asserts that an answer is what the spec documents for this operation and status: a documented
 * status (or 5XX), JSON, and a body valid against the documented schema.
 */
export function expectConformant(res: Answer, specPath: string, method: string): void {
  const operation = (
    spec.paths[specPath] as Record<string, { responses: Record<string, unknown> }>
  )[method];
  expect(operation, `${method} ${specPath} is in the spec`).toBeDefined();
  const responses = operation?.responses ?? {};
  const key = String(res.status) in responses ? String(res.status) : `${String(res.status)[0]}XX`;
  expect(
    Object.keys(responses),
    `status ${res.status} is documented for ${method} ${specPath}`,
  ).toContain(key);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  const response = resolveRef(responses[key] as Record<string, unknown>);
  const content = response.content as Record<string, unknown> | undefined;
  if (!content) return;
  const refPath =
    typeof (responses[key] as { $ref?: string }).$ref === "string"
      ? (responses[key] as { $ref: string }).$ref.slice(2).split("/")
      : ["paths", specPath, method, "responses", key];
  const validate = ajv.getSchema(pointer(...refPath, "content", "application/json", "schema"));
  expect(validate, "schema compiles").toBeDefined();
  const ok = validate?.(res.body);
  expect(
    ok,
    `body of ${res.status} valid: ${ajv.errorsText(validate?.errors)} ${JSON.stringify(res.body)}`,
  ).toBe(true);
}

/** Validates a value against a schema of the spec's components. */
export function validComponent(name: string, value: unknown): boolean {
  const validate = ajv.getSchema(pointer("components", "schemas", name));
  return validate?.(value) === true;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  headers?: Record<string, string>;
}

/** Sends one request and parses the JSON answer. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.token) headers.authorization ??= `Bearer ${options.token}`;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] ??= "application/json";
  } else if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = Symbol.for("not json");
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export async function getToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
): Promise<string> {
  const res = await call(baseUrl, "POST", "/oauth/token", {
    form: { client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials" },
  });
  expect(res.status).toBe(200);
  return (res.body as { access_token: string }).access_token;
}

export interface CliProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built CLI and waits for its "listening on" line. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const onData = () => {
      const match = /mgmtkit-server listening on (\S+)/.exec(out);
      if (match?.[1]) {
        child.stdout?.off("data", onData);
        resolve({ child, url: match[1], stdout: () => out, stderr: () => err, exited });
      }
    };
    child.stdout?.on("data", onData);
    exited.then(({ code }) =>
      reject(new Error(`mgmtkit-server exited ${code} before listening: ${err}`)),
    );
  });
}

/** Runs the CLI to completion (for invocations that must fail or print help). */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return { code, stdout, stderr };
}

export const connectionBodies = {
  adfs: {
    name: "acme-adfs",
    status: 1,
    strategy: "adfs",
    options: {
      tenant_domain: "acme.com",
      adfs_server: "https://adfs.acme.com/md.xml",
      thumbprints: ["ab12"],
    },
  },
  "google-apps": {
    name: "acme-gapps",
    status: 0,
    strategy: "google-apps",
    options: {
      client_id: "g-id",
      client_secret: "g-secret",
      tenant_domain: "acme.com",
      ext_groups: true,
    },
  },
  "google-oauth2": {
    name: "acme-google",
    status: 1,
    strategy: "google-oauth2",
    options: { client_id: "g-id", client_secret: "g-secret", email: true, scope: [] },
  },
  office365: {
    name: "acme-o365",
    status: 1,
    strategy: "office365",
    options: {
      client_id: "o-id",
      client_secret: "o-secret",
      tenant_domain: "acme.onmicrosoft.com",
    },
  },
  windowslive: {
    name: "acme-live",
    status: 1,
    strategy: "windowslive",
    options: { client_id: "l-id", client_secret: "l-secret", signin: true },
  },
} as const;

import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AppOptions, buildApp, openSqliteStore } from "@mgmtkit/reference-server";
import {
  type ConnectionExample,
  createSpecValidator,
  exampleConnections,
  matchOperation,
  type Strategy,
  specRef,
  strategies,
} from "@mgmtkit/spec/model";
import type { FastifyInstance } from "fastify";
import { expect } from "vitest";
import { demoSeed, prepareSeed, type Seed } from "../src/seed.js";

export const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");

const validator = createSpecValidator();

/**
 * Asserts that an answer is what the spec documents for this operation and status: a documented
 * status (or 5XX), JSON, and a body valid against the documented schema.
 */
export function expectConformant(res: Answer, specPath: string, method: string): void {
  const found = matchOperation(method, specPath.replace(/\{[^}]+\}/g, "x"));
  expect(found, `${method} ${specPath} is in the spec`).toBeDefined();
  const operation = found?.operation;
  const response = operation?.responseFor(res.status);
  expect(
    response?.key,
    `status ${res.status} is documented for ${method} ${specPath}`,
  ).toBeDefined();
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json/);
  if (!response?.json) return;
  expect(
    validator.problems(response.json.schemaRef, res.body),
    `body of ${res.status}: ${JSON.stringify(res.body)}`,
  ).toEqual([]);
}

/** Validates a value against a schema of the spec's components. */
export function validComponent(name: string, value: unknown): boolean {
  return validator.isValid(specRef("components", "schemas", name), value);
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

/**
 * Sends one request and parses the JSON answer: over a socket to a base URL, or through `inject()`
 * to an app (no socket: for what does not depend on one).
 */
export async function call(
  target: string | FastifyInstance,
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
  let status: number;
  let answerHeaders: Headers;
  let text: string;
  if (typeof target === "string") {
    const res = await fetch(`${target}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    status = res.status;
    answerHeaders = res.headers;
    text = await res.text();
  } else {
    const res = await target.inject({
      method: method as "GET",
      url: path,
      headers,
      ...(body !== undefined ? { payload: body } : {}),
    });
    status = res.statusCode;
    answerHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const one of [value ?? []].flat()) answerHeaders.append(name, String(one));
    }
    text = res.payload;
  }
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = Symbol.for("not json");
  }
  return { status, headers: answerHeaders, body: parsed, text };
}

export interface TestApp {
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * The app over a new in-memory SQLite store holding `seed` (default: the demo seed), ready for
 * `inject()`. Requests reach it as `http://localhost:80` unless they send another Host.
 */
export async function injectApp(
  options: Partial<AppOptions> & { seed?: Seed | false } = {},
): Promise<TestApp> {
  const { seed = demoSeed, ...rest } = options;
  const store = options.store ?? openSqliteStore(":memory:");
  const clientId = options.clientId ?? "test-client";
  if (seed !== false) {
    const prepared = prepareSeed(seed, clientId);
    await store.seedOnce(prepared.connections, prepared.users);
  }
  const app = buildApp({ clientSecret: "test-secret-value", ...rest, store, clientId });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

export async function getToken(
  baseUrl: string | FastifyInstance,
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

/** A create body per strategy, from the spec's examples, under names the demo seed does not use. */
export const connectionBodies = Object.fromEntries(
  strategies.map((strategy) => [
    strategy,
    { ...exampleConnections[strategy], name: `acme-${strategy}` },
  ]),
) as Record<Strategy, ConnectionExample>;

/** One status line, the headers (names lower-cased) and the JSON body of a raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: unknown;
}

/**
 * Sends `request` as written (request line and headers, `Connection: close` added) over a socket
 * to `port` on 127.0.0.1, and parses the one answer once the server closed the connection: for
 * what `fetch` and `inject()` cannot send, such as an absolute-form target or two Host headers.
 */
export function rawRequest(port: number, head: string[]): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(`${[...head, "Connection: close"].join("\r\n")}\r\n\r\n`);
    });
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const end = text.indexOf("\r\n\r\n");
      const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
      const headers = new Map<string, string>();
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const body = text.slice(end + 4);
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: body ? (JSON.parse(body) as unknown) : undefined,
      });
    });
  });
}

/** Whether the tests run as root, which the full-disk tests need to mount a small tmpfs. */
export const ROOT = process.getuid?.() === 0;
/** The reason a root-only test gives in its name, so that a skipped run says why. */
export const NEEDS_ROOT = "needs root to mount a tmpfs; skipped otherwise";

/**
 * Resolves once `condition` holds, checking it every few milliseconds; rejects when it still does
 * not after `boundMs`. The bound only keeps a broken test from hanging: it is generous, so that a
 * busy machine never reaches it.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  boundMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

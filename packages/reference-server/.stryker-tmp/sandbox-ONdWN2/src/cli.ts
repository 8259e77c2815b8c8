#!/usr/bin/env node
// @ts-nocheck
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type RunningServer, ServerStartError, startServer } from "./server.js";

const NAME = "mgmtkit-server";

function packageVersion(): string {
  // dist/cli.js sits next to the package's package.json, one folder up.
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}

/** A problem with the command line or the files it names; the process exits 2. */
class UsageError extends Error {}

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) {
    throw new InvalidArgumentError("The port must be an integer from 0 to 65535.");
  }
  return Number(value);
}

function parseTtl(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(
      "The token lifetime must be a whole number of seconds, at least 1.",
    );
  }
  return Number(value);
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(
      `Cannot read the TLS ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
}

interface CliOptions {
  host: string;
  port: number;
  db: string;
  synchronous: "normal" | "full";
  clientId?: string;
  clientSecret?: string;
  seed?: string | false;
  tlsCert?: string;
  tlsKey?: string;
  tokenTtl: number;
  publicUrl?: string;
}

function program(): Command {
  return new Command(NAME)
    .description(
      "Run a conformant, durable Management API v1 server (SQLite or PostgreSQL storage, demo users, optional HTTPS).",
    )
    .addOption(
      new Option("--host <host>", "interface to listen on")
        .env("MGMTKIT_HOST")
        .default("127.0.0.1"),
    )
    .addOption(
      new Option("--port <port>", "port to listen on (0 picks a free one)")
        .env("MGMTKIT_PORT")
        .argParser(parsePort)
        .default(3000),
    )
    .addOption(
      new Option(
        "--db <file|url>",
        "SQLite database file, :memory: for a throwaway one, or postgres://user:password@host:5432/db (also MGMTKIT_DATABASE_URL)",
      )
        .env("MGMTKIT_DB")
        .default("./mgmtkit.sqlite"),
    )
    .addOption(
      new Option(
        "--synchronous <mode>",
        "SQLite only: what an acknowledged write survives: normal (the server being killed) or full (also a power loss; slower)",
      )
        .env("MGMTKIT_SYNCHRONOUS")
        .choices(["normal", "full"])
        .default("normal"),
    )
    .addOption(
      new Option(
        "--client-id <id>",
        "client id that may obtain tokens (generated when absent)",
      ).env("MGMTKIT_CLIENT_ID"),
    )
    .addOption(
      new Option(
        "--client-secret <secret>",
        "client secret (generated with the id when absent)",
      ).env("MGMTKIT_CLIENT_SECRET"),
    )
    .addOption(
      new Option(
        "--seed <file>",
        "JSON seed loaded into a new database (default: the built-in demo seed; MGMTKIT_SEED=none for no seed)",
      ).env("MGMTKIT_SEED"),
    )
    .addOption(new Option("--no-seed", "start a new database empty"))
    .addOption(
      new Option("--tls-cert <file>", "PEM certificate; serve HTTPS").env("MGMTKIT_TLS_CERT"),
    )
    .addOption(
      new Option("--tls-key <file>", "PEM private key of the certificate").env("MGMTKIT_TLS_KEY"),
    )
    .addOption(
      new Option(
        "--public-url <url>",
        "origin written into generated URLs, such as https://api.example.com (default: each request's Host)",
      ).env("MGMTKIT_PUBLIC_URL"),
    )
    .addOption(
      new Option("--token-ttl <seconds>", "how long an access token is accepted")
        .env("MGMTKIT_TOKEN_TTL")
        .argParser(parseTtl)
        .default(86_400),
    )
    .version(packageVersion(), "-v, --version")
    .helpOption("-h, --help", "show this help")
    .addHelpText(
      "after",
      "\nEvery option can also be set through the environment variable shown next to it.\n" +
        "Exit codes: 0 after a clean shutdown (SIGTERM or SIGINT), 2 for a bad option, an unreadable file, a database that cannot be used or a port in use.",
    )
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => {
        // Commander says "… is invalid. <reason>."; one sentence reads better on one line.
        const sentence = text
          .replace(/^error: /, "")
          .trim()
          .replace(/\. ([A-Z])/g, (_m, c: string) => `: ${c.toLowerCase()}`);
        write(`${NAME}: ${sentence.replace(/[.!]$/, "")} (see --help).\n`);
      },
    });
}

async function main(argv: string[]): Promise<number> {
  const cli = program();
  try {
    cli.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === "commander.helpDisplayed" || error.code === "commander.version" ? 0 : 2;
    }
    throw error;
  }
  const opts = cli.opts<CliOptions>();
  // The conventional variable of hosted databases, below --db and MGMTKIT_DB.
  if (cli.getOptionValueSource("db") === "default" && process.env.MGMTKIT_DATABASE_URL) {
    opts.db = process.env.MGMTKIT_DATABASE_URL;
  }
  const seed =
    opts.seed === undefined || opts.seed === false
      ? opts.seed
      : ["none", "false", ""].includes(opts.seed)
        ? false
        : opts.seed;

  let server: RunningServer;
  try {
    if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) {
      throw new UsageError("Give both --tls-cert and --tls-key, or neither.");
    }
    const tls =
      opts.tlsCert !== undefined && opts.tlsKey !== undefined
        ? { cert: readPem(opts.tlsCert, "certificate"), key: readPem(opts.tlsKey, "key") }
        : undefined;
    server = await startServer({
      host: opts.host,
      port: opts.port,
      db: opts.db,
      synchronous: opts.synchronous,
      ...(opts.clientId !== undefined ? { clientId: opts.clientId } : {}),
      ...(opts.clientSecret !== undefined ? { clientSecret: opts.clientSecret } : {}),
      ...(seed !== undefined ? { seed } : {}),
      ...(tls ? { tls } : {}),
      ...(opts.publicUrl !== undefined ? { publicUrl: opts.publicUrl } : {}),
      tokenTtlSeconds: opts.tokenTtl,
    });
  } catch (error) {
    if (error instanceof UsageError || error instanceof ServerStartError) {
      process.stderr.write(`${NAME}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  if (opts.clientId === undefined) {
    // Printed once, so that whoever started the server can obtain tokens.
    process.stdout.write(
      `${NAME}: generated client credentials (choose them with --client-id and --client-secret)\n` +
        `  client_id: ${server.clientId}\n  client_secret: ${server.clientSecret}\n`,
    );
  }
  if (typeof seed === "string" && !server.seeded) {
    process.stderr.write(`${NAME}: the database was seeded before, so ${seed} was not loaded.\n`);
  }
  process.stdout.write(`${NAME} listening on ${server.url}\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`${NAME}: ${signal} again, exiting without waiting.\n`);
        resolve(1);
        return;
      }
      stopping = true;
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          process.stderr.write(`${NAME}: shutdown failed: ${(error as Error).message}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}

main(process.argv).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${NAME}: ${(error as Error)?.message ?? String(error)}\n`);
    process.exit(1);
  },
);

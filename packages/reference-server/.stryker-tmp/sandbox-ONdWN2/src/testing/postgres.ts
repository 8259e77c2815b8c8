// @ts-nocheck
import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster of its own: a temporary folder, a free loopback port. */
export interface TestPostgres {
  /** The URL of the cluster's `postgres` database, with the user and password of its owner. */
  readonly url: string;
  readonly port: number;
  /** The superuser, `mgmtkit`, and its generated password. */
  readonly user: string;
  readonly password: string;
  /** Creates an empty database (named `name`, or generated) and answers its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the cluster as an administrator would (`pg_ctl stop -m fast`); its data stays. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again on the same port. */
  start(): Promise<void>;
  /**
   * Suspends every process of the cluster (SIGSTOP), as a database host that stopped answering
   * without closing connections would look; `thaw()` resumes them.
   */
  freeze(): void;
  thaw(): void;
  /** Stops the cluster at once and deletes its folder. */
  destroy(): Promise<void>;
}

export interface TestPostgresOptions {
  /** Folder holding `initdb` and `pg_ctl`. Default: `MGMTKIT_PG_BIN`, else the newest `/usr/lib/postgresql/<version>/bin`, else `PATH`. */
  binDir?: string;
  /**
   * Sync to disk as a production server does (`fsync`). Default `false`: faster, and committed data
   * still survives everything but a crash of the machine, which a throwaway cluster never outlives.
   */
  fsync?: boolean;
}

/** PostgreSQL could not be found or started; the message says what to install or set. */
export class TestPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TestPostgresError";
  }
}

/**
 * The folder of PostgreSQL's server programs: `given`, else `MGMTKIT_PG_BIN`, else the newest
 * `/usr/lib/postgresql/<version>/bin`, else `pg_config --bindir`, else `PATH`. Throws a
 * `TestPostgresError` saying what to install when there is none.
 */
export function findPostgresBinDir(given?: string): string {
  const candidates: string[] = [];
  if (given) candidates.push(given);
  else if (process.env.MGMTKIT_PG_BIN) candidates.push(process.env.MGMTKIT_PG_BIN);
  else {
    const root = "/usr/lib/postgresql";
    if (existsSync(root)) {
      const versions = readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a));
      candidates.push(...versions.map((v) => join(root, v, "bin")));
    }
    const fromPath = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
    if (fromPath.status === 0) candidates.push(fromPath.stdout.trim());
    for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.push(dir);
  }
  const found = candidates.find(
    (dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")),
  );
  if (!found) {
    throw new TestPostgresError(
      given || process.env.MGMTKIT_PG_BIN
        ? `No initdb and pg_ctl in ${candidates[0]}.`
        : "PostgreSQL is not installed: no initdb and pg_ctl under /usr/lib/postgresql/*/bin or on PATH (apt-get install postgresql, or set MGMTKIT_PG_BIN).",
    );
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Sends `signal` to the cluster's postmaster (its pid is in postmaster.pid) and its children. */
function signalCluster(data: string, signal: NodeJS.Signals): void {
  const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
  const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], {
    encoding: "utf8",
  })
    .stdout.split("\n")
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
  for (const pid of [postmaster, ...children]) process.kill(pid, signal);
}

// Clusters still running when the process exits are stopped then, whatever ended the tests.
const live = new Map<string, () => void>();
let stopsAtExit = false;
function stopAtExit(dir: string, stop: () => void): void {
  live.set(dir, stop);
  if (stopsAtExit) return;
  stopsAtExit = true;
  process.once("exit", () => {
    for (const stopNow of live.values()) stopNow();
  });
}

/**
 * Starts a PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only, with password
 * authentication (so that a wrong password is refused as in production). As root, the server runs
 * as the `postgres` user, since PostgreSQL refuses to run as root. About two seconds.
 */
export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const bin = findPostgresBinDir(options.binDir);
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | undefined;
  if (asRoot) {
    const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    const uid = id("-u");
    const gid = id("-g");
    if (uid.status !== 0 || gid.status !== 0) {
      throw new TestPostgresError(
        "PostgreSQL refuses to run as root, and there is no postgres user to run it as (apt-get install postgresql creates one).",
      );
    }
    owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }
  const as = (command: string, args: string[]): [string, string[]] =>
    asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];

  const dir = mkdtempSync(join(tmpdir(), "mgmtkit-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  const user = "mgmtkit";
  const password = randomBytes(18).toString("base64url");
  writeFileSync(join(dir, "password"), `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(join(dir, "password"), owner.uid, owner.gid);
  }

  const exec = async (command: string, args: string[], what: string) => {
    const [file, argv] = as(join(bin, command), args);
    try {
      await run(file, argv, { timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new TestPostgresError(
        `Cannot ${what}: ${(e.stderr || e.message).trim().split("\n").slice(-3).join(" ")}`,
        { cause: error },
      );
    }
  };

  const stopNow = () => {
    const [file, argv] = as(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    spawnSync(file, argv, { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };

  let port = 0;
  const start = async () => {
    await exec(
      "pg_ctl",
      [
        "-D",
        data,
        "-l",
        log,
        "-w",
        "-t",
        "60",
        "-o",
        [
          `-p ${port}`,
          `-k ${dir}`,
          "-c listen_addresses=127.0.0.1",
          `-c fsync=${options.fsync ? "on" : "off"}`,
          "-c max_connections=200",
        ].join(" "),
        "start",
      ],
      `start PostgreSQL on port ${port} (see ${log})`,
    );
  };

  try {
    await exec(
      "initdb",
      [
        "-D",
        data,
        "-U",
        user,
        `--pwfile=${join(dir, "password")}`,
        "-A",
        "scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
      ],
      "create a PostgreSQL cluster with initdb",
    );
    stopAtExit(dir, stopNow);
    // Another process may take the free port before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await start();
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    live.delete(dir);
    stopNow();
    throw error;
  }

  const urlOf = (database: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const url = urlOf("postgres");
  let created = 0;
  return {
    url,
    port,
    user,
    password,
    async createDatabase(name = `db_${process.pid}_${++created}`) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new RangeError(`Not a plain name: ${name}`);
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`CREATE DATABASE ${name}`);
      } finally {
        await sql.end();
      }
      return urlOf(name);
    },
    stop: () => exec("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"], "stop PostgreSQL"),
    start,
    freeze: () => signalCluster(data, "SIGSTOP"),
    thaw: () => signalCluster(data, "SIGCONT"),
    async destroy() {
      live.delete(dir);
      stopNow();
    },
  };
}

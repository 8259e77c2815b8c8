// Runs the guides as a newcomer would: in an empty folder outside the workspace, with the tarballs
// `pnpm release:pack` writes, each guide's own commands (read from its Markdown code blocks, see
// support/guide-blocks.ts), and the documented output checked. One pack and one project folder
// serve every guide, so better-sqlite3 compiles once.
//
// Where a guide cannot run as written on this machine, the test says so here and does the nearest
// honest thing:
// - `git clone` + `release:pack` (`sh checkout`): the test runs `release:pack` in this workspace and
//   puts the tarballs at ../mgmtkit/dist-release, where the guides' commands look for them.
// - Ports: the machine is shared, so every port a guide names (3000, 8080, …) is replaced by a free
//   one, in commands and documented output alike.
// - `npm ci` in the CI workflows: the guide's install command already installed this folder.
// - Docker Compose: there is no Docker engine here. For `docker compose up` the test starts a
//   throwaway PostgreSQL cluster in place of the `db` service and runs each other service's
//   `command` with its `environment`, as compose would, on loopback: the database URL points at the
//   throwaway cluster, `--host 0.0.0.0` becomes 127.0.0.1 and the container port the published one.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startTestPostgres, type TestPostgres } from "@mgmtkit/reference-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { guideBlocks, missingLine, portsNamed, withPorts } from "./support/guide-blocks.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const workspaceRoot = fileURLToPath(new URL("../../..", import.meta.url));
const pnpm =
  process.env.npm_execpath && /^pnpm/.test(process.env.npm_execpath.split("/").pop() ?? "")
    ? process.env.npm_execpath
    : "pnpm";

let work: string;
let app: string;
const background: { name: string; child: ChildProcess; output: () => string }[] = [];
let postgres: TestPostgres | undefined;

/**
 * The environment of a stranger's shell: nothing pnpm, turbo or vitest add, and no PATH entry into
 * the workspace, so the guides' commands reach only what they installed.
 */
function strangerEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (
      /^npm_(package|lifecycle|execpath|node_execpath|command|config_user_agent)/i.test(key) ||
      /^(pnpm_|turbo|vitest|tinypool)/i.test(key) ||
      ["NODE_PATH", "NODE_OPTIONS", "INIT_CWD", "TEST", "NODE_ENV"].includes(key.toUpperCase())
    )
      continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => entry && !entry.startsWith(workspaceRoot))
    .join(delimiter);
  // better-sqlite3 compiles from source where its prebuilt binary is out of reach.
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h"))
    env.npm_config_nodedir = "/usr";
  env.JOBS ??= "max";
  env.NO_COLOR = "1";
  env.npm_config_audit = "false";
  env.npm_config_fund = "false";
  env.npm_config_update_notifier = "false";
  return env;
}

/**
 * `count` free ports, all different: each stays bound until all are chosen (one closed at once can
 * be handed out again, and a guide's server and its proxy got the same port).
 */
async function freePorts(count: number): Promise<number[]> {
  const servers: ReturnType<typeof createServer>[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("No TCP address.");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  }
}

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs a process to its end, bounded by `timeoutMs`; its whole process group goes on timeout. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...options,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    }, options.timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * A shell that carries what a reader's terminal carries from one block to the next: the
 * exported variables and the current folder.
 */
class Terminal {
  private readonly state: string;
  constructor(
    private readonly dir: string,
    name: string,
  ) {
    this.state = join(work, `${name}.env.sh`);
    writeFileSync(this.state, "");
  }

  private script(commands: string, save: boolean): string {
    const lines = [
      "set -eo pipefail",
      `cd ${JSON.stringify(this.dir)}`,
      `source ${JSON.stringify(this.state)}`,
      commands,
    ];
    if (save) lines.push(`export -p > ${JSON.stringify(this.state)}`);
    return lines.join("\n");
  }

  /** The exported variables of this terminal, as a program started from it sees them. */
  async env(): Promise<Record<string, string>> {
    const result = await run("bash", ["-c", this.script("env -0", false)], {
      cwd: this.dir,
      env: strangerEnv(),
      timeoutMs: 10_000,
    });
    return Object.fromEntries(
      result.stdout
        .split("\0")
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
    );
  }

  async run(commands: string, timeoutMs = 600_000): Promise<Result> {
    const result = await run("bash", ["-c", this.script(commands, true)], {
      cwd: this.dir,
      env: strangerEnv(),
      timeoutMs,
    });
    if (result.code !== 0) {
      throw new Error(
        `This block of commands exited ${result.code}:\n${commands}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
      );
    }
    return result;
  }

  /** Starts commands left running, as in a second terminal; answers once `ready` is printed. */
  async start(name: string, commands: string, ready: RegExp, env?: Record<string, string>) {
    const child = spawn("bash", ["-c", this.script(commands, false)], {
      cwd: this.dir,
      env: env ?? strangerEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    const entry = { name, child, output: () => output };
    background.push(entry);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} printed no ${ready} within 120 s:\n${output}`)),
        120_000,
      );
      const collect = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (ready.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited ${code} before it was ready:\n${output}`));
      });
    });
    return entry;
  }
}

/** Ends what a guide left running the way a reader does, with Ctrl-C, and waits for it to exit. */
async function stopBackground() {
  for (const { child } of background.splice(0).reverse()) {
    if (!child.pid) continue;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once("exit", done));
      process.kill(-child.pid, "SIGINT");
      const timer = setTimeout(() => {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      }, 30_000);
      await exited;
      clearTimeout(timer);
    }
    // What a shell left running with `&` (a workflow step's server) ignores SIGINT and outlives
    // the shell, in the same process group: it ends here too.
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // The group is gone already.
    }
  }
}

/** What every guide's server and proxy print once they serve. */
const readyLine = /listening on \S+|forwarding \S+ to \S+/;

/** The files a block of commands asks the suite to write (`--output FILE`). */
const outputsOf = (text: string) =>
  [...text.matchAll(/--output (\S+)/g)].map((m) => m[1] as string);

/**
 * Runs one guide's blocks in order in the project folder and checks its documented output.
 * Answers what it skipped, with the reason, for the test to show.
 */
async function runGuide(slug: string): Promise<string[]> {
  const blocks = guideBlocks(root, slug);
  const named = [...portsNamed(blocks)];
  const free = await freePorts(named.length);
  const ports = new Map(named.map((port, i) => [port, free[i] as number]));
  const terminal = new Terminal(app, slug);
  const skipped: string[] = [];
  const outputs: string[] = [];
  let last: Result | undefined;
  let lastServer: (typeof background)[number] | undefined;
  const serverExpectations: { server: (typeof background)[number]; text: string }[] = [];
  let compose: Record<string, unknown> | undefined;
  let githubSteps: string[] | undefined;

  for (const block of blocks) {
    const text = withPorts(block.text, ports);
    switch (block.kind) {
      case "run":
        last = await terminal.run(text);
        outputs.push(...outputsOf(text));
        break;
      case "server":
        lastServer = await terminal.start(`${slug}: ${text}`, text, readyLine);
        outputs.push(...outputsOf(text));
        break;
      case "output": {
        expect(last, `${slug}: an output block follows no commands`).toBeDefined();
        const missing = missingLine(text, last?.stdout ?? "");
        expect(
          missing,
          `${slug}: the documented line is not in the output:\n${last?.stdout}\n${last?.stderr}`,
        ).toBeUndefined();
        break;
      }
      case "server-output":
        if (!lastServer) throw new Error(`${slug}: a server-output block follows no server.`);
        serverExpectations.push({ server: lastServer, text });
        break;
      case "file":
        writeFileSync(join(app, block.name), `${block.text}\n`);
        break;
      case "skipped":
        skipped.push(`${block.info}: ${block.text.split("\n")[0]}`);
        break;
      case "github-actions":
        githubSteps = await runGithubActions(text, terminal);
        break;
      case "gitlab-ci":
        expect(githubSteps, `${slug}: the GitLab job follows the GitHub workflow`).toBeDefined();
        expect(gitlabCommands(text)).toEqual(githubSteps);
        break;
      case "compose":
        // As written: composeUp maps its published ports to the free ones itself.
        compose = parseYaml(block.text) as Record<string, unknown>;
        writeFileSync(join(app, "compose.yaml"), block.text);
        break;
      case "compose-up":
        if (!compose) throw new Error(`${slug}: docker compose up comes before a compose file.`);
        await composeUp(compose, terminal, ports);
        break;
      case "prose":
        break;
    }
  }
  await stopBackground();
  for (const { server, text } of serverExpectations) {
    expect(missingLine(text, server.output()), `${server.name} printed:\n${server.output()}`).toBe(
      undefined,
    );
  }
  for (const file of outputs) {
    expect(statSync(join(app, file)).size, `${slug}: ${file}`).toBeGreaterThan(0);
  }
  return skipped;
}

type Workflow = {
  jobs: Record<
    string,
    {
      env?: Record<string, string>;
      steps: { run?: string; uses?: string; with?: { path?: string } }[];
    }
  >;
};

/** A value GitHub would put for `${{ secrets.NAME }}`, made up for this run. */
const secrets: Record<string, string> = {
  MGMTKIT_CLIENT_ID: "ci-client",
  MGMTKIT_CLIENT_SECRET: randomBytes(12).toString("base64url"),
};

/** Runs the `run` steps of the workflow's job, as the runner would, in the project folder. */
async function runGithubActions(text: string, terminal: Terminal): Promise<string[]> {
  const workflow = parseYaml(text) as Workflow;
  const [job] = Object.values(workflow.jobs);
  if (!job) throw new Error("The workflow has no job.");
  const env = {
    ...(await terminal.env()),
    ...Object.fromEntries(
      Object.entries(job.env ?? {}).map(([name, value]) => [
        name,
        String(value).replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, secret: string) => {
          const known = secrets[secret];
          if (known === undefined)
            throw new Error(`The workflow reads an unknown secret ${secret}.`);
          return known;
        }),
      ]),
    ),
  };
  const commands: string[] = [];
  const uploads: string[] = [];
  for (const step of job.steps) {
    if (step.uses?.startsWith("actions/upload-artifact")) {
      uploads.push(
        ...String(step.with?.path ?? "")
          .split("\n")
          .filter(Boolean),
      );
    }
    if (!step.run) continue;
    commands.push(
      ...step.run
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    );
    // The guide's install command already installed this folder, which `npm ci` would redo.
    if (step.run.trim() === "npm ci") continue;
    // Each step is its own shell, as on the runner; what it leaves running keeps running.
    const child = spawn("bash", ["-e", "-c", step.run], {
      cwd: app,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    background.push({ name: `workflow step: ${step.run}`, child, output: () => output });
    const code = await new Promise<number | null>((done) => {
      // The step's shell ends; a server it started in the background is still in its group.
      child.once("exit", (exitCode) => done(exitCode));
    });
    expect(code, `The workflow step failed:\n${step.run}\n${output}`).toBe(0);
  }
  for (const path of uploads) expect(statSync(join(app, path.trim())).size).toBeGreaterThan(0);
  return commands;
}

/** The GitLab job's script, one command a line, as the GitHub steps are compared. */
function gitlabCommands(text: string): string[] {
  const jobs = parseYaml(text) as Record<string, { script: string[] }>;
  const [job] = Object.values(jobs);
  return (job?.script ?? []).flatMap((line) =>
    String(line)
      .split("\n")
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

type Service = {
  image?: string;
  command?: string;
  environment?: Record<string, string>;
  ports?: string[];
};

/**
 * `docker compose up --wait` without Docker: the `db` service becomes a throwaway PostgreSQL
 * cluster, and each other service's command runs with its environment, ready once it listens.
 */
async function composeUp(
  compose: Record<string, unknown>,
  terminal: Terminal,
  ports: Map<number, number>,
) {
  const services = compose.services as Record<string, Service>;
  const shell = await terminal.env();
  const interpolate = (value: string) =>
    value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const found = shell[name];
      if (found === undefined) throw new Error(`compose.yaml reads \${${name}}, which is not set.`);
      return found;
    });
  expect(services.db?.image).toMatch(/^postgres:/);
  postgres = await startTestPostgres();
  const databaseUrl = await postgres.createDatabase();
  for (const [name, service] of Object.entries(services)) {
    if (name === "db") continue;
    const environment = Object.fromEntries(
      Object.entries(service.environment ?? {}).map(([key, value]) => [
        key,
        interpolate(String(value)),
      ]),
    );
    // The compose file's URL names the db service on compose's network; here it is the cluster.
    expect(environment.MGMTKIT_DATABASE_URL).toMatch(
      /^postgres:\/\/mgmtkit:[^@]+@db:5432\/mgmtkit$/,
    );
    environment.MGMTKIT_DATABASE_URL = databaseUrl;
    const [published] = service.ports ?? [];
    const match = /^127\.0\.0\.1:(\d+):(\d+)$/.exec(String(published));
    if (!match) throw new Error(`Service ${name} publishes no loopback port.`);
    const hostPort = ports.get(Number(match[1]));
    const command = String(service.command)
      .replace("--host 0.0.0.0", "--host 127.0.0.1")
      .replace(`--port ${match[2]}`, `--port ${hostPort}`);
    await terminal.start(`compose service ${name}: ${command}`, command, readyLine, {
      ...strangerEnv(),
      ...environment,
    });
  }
}

beforeAll(async () => {
  // As from a shell: when this test runs under turbo, release:pack's own turbo run starts afresh.
  const shellEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        (!/^TURBO_/.test(entry[0]) || entry[0] === "TURBO_TELEMETRY_DISABLED"),
    ),
  );
  const packed = await run(pnpm, ["run", "release:pack"], {
    cwd: workspaceRoot,
    env: shellEnv,
    timeoutMs: 300_000,
  });
  if (packed.code !== 0)
    throw new Error(`pnpm run release:pack failed:\n${packed.stdout}\n${packed.stderr}`);
  work = realpathSync(mkdtempSync(join(tmpdir(), "mgmtkit-guides-")));
  const release = join(work, "mgmtkit", "dist-release");
  mkdirSync(release, { recursive: true });
  const tarballs = readdirSync(join(workspaceRoot, "dist-release")).filter((f) =>
    f.endsWith(".tgz"),
  );
  expect(tarballs.map((file) => file.replace(/-\d+\.\d+\.\d+.*$/, "")).sort()).toEqual([
    "mgmtkit-contract",
    "mgmtkit-reference-server",
    "mgmtkit-sdk",
    "mgmtkit-spec",
  ]);
  for (const file of tarballs)
    copyFileSync(join(workspaceRoot, "dist-release", file), join(release, file));
  app = join(work, "app");
  mkdirSync(app);
}, 300_000);

afterAll(async () => {
  await stopBackground();
  await postgres?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the guides, run as written from the release tarballs", () => {
  // In the order a newcomer reads them; the quick start makes the project folder the others share.
  it.each([
    "quick-start",
    "conformance-in-ci",
    "reference-server",
    "reports-baseline-proxy",
    "postgresql",
  ])(
    "%s",
    async (slug) => {
      const skipped = await runGuide(slug);
      console.log(`${slug}: ran; not run here: ${skipped.join("; ") || "nothing"}`);
      expect(existsSync(join(app, "package.json"))).toBe(true);
    },
    900_000,
  );

  it("installed every package from the release tarballs, none from the workspace", () => {
    const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const ours = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(
      ([name]) => name.startsWith("@mgmtkit/"),
    );
    expect(ours.map(([name]) => name).sort()).toEqual([
      "@mgmtkit/contract",
      "@mgmtkit/reference-server",
      "@mgmtkit/sdk",
      "@mgmtkit/spec",
    ]);
    for (const [, range] of ours)
      expect(range).toMatch(
        /^file:\.\.\/mgmtkit\/dist-release\/mgmtkit-[a-z-]+-\d+\.\d+\.\d+\.tgz$/,
      );
  });
});

// What --db may name: a PostgreSQL URL gone wrong is refused without its password ever being
// printed, and a SQLite path that is a link to nothing is refused rather than followed.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  openSqliteStore,
  ServerStartError,
  StoreOpenError,
  startServer,
} from "@mgmtkit/reference-server";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-location-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const credentials = { clientId: "c", clientSecret: "s", seed: false } as const;

describe("a mistyped PostgreSQL URL", () => {
  const cases: Array<[string, { given: string; want: RegExp }]> = [
    [
      "a leading space",
      { given: " postgres://u:hunter2@127.0.0.1:1/db", want: /starts or ends with white space/ },
    ],
    [
      "a trailing newline",
      { given: "postgres://u:hunter2@127.0.0.1:1/db\n", want: /starts or ends with white space/ },
    ],
    [
      "postgress://",
      { given: "postgress://u:hunter2@127.0.0.1/db", want: /postgress:\/\/ is not/ },
    ],
    ["pg://", { given: "pg://u:hunter2@127.0.0.1/db", want: /pg:\/\/ is not/ }],
    ["a single slash", { given: "postgres:/u:hunter2@127.0.0.1/db", want: /user:password@/ }],
    ["no scheme", { given: "u:hunter2@127.0.0.1", want: /without postgres:\/\// }],
    ["no scheme, a path", { given: `u:hunter2@127.0.0.1:5432/db`, want: /without postgres/ }],
    ["no scheme, no password", { given: "u@db.internal:5432/db", want: /without postgres/ }],
  ];
  it.each(cases)("is refused, without the password: %s", async (_name, { given, want }) => {
    const error: unknown = await startServer({ ...credentials, db: given }).then(
      (s) => s.close().then(() => "started"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServerStartError);
    expect((error as Error).message).toMatch(want);
    expect((error as Error).message).not.toContain("hunter2");
    expect(readdirSync(".").filter((name) => name.includes("hunter2"))).toEqual([]);
  });

  it.each([
    ["a file name with an @", "backup@2024.sqlite"],
    ["a folder with a colon", "a:b/x.sqlite"],
    ["what looks like userinfo, in a path", "u:pw@host"],
  ])("leaves SQLite paths alone: %s", async (_name, name) => {
    const path = join(dir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    const server = await startServer({ ...credentials, db: path });
    await server.close();
    expect(existsSync(path)).toBe(true);
  });

  it.each([
    [
      "MGMTKIT_DATABASE_URL with a leading space",
      { MGMTKIT_DATABASE_URL: " postgres://u:hunter2@127.0.0.1:1/db" },
    ],
    ["MGMTKIT_DB as pg://", { MGMTKIT_DB: "pg://u:hunter2@127.0.0.1:1/db" }],
  ])("makes the CLI exit 2 with one sentence: %s", async (_name, env) => {
    const { code, stderr, stdout } = await runCli(["--port", "0"], env);
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^mgmtkit-server: The database/);
    expect(`${stderr}${stdout}`).not.toContain("hunter2");
  });
});

describe("a SQLite path that is a symbolic link", () => {
  it("to nothing is refused, and nothing is created where it points", async () => {
    const target = join(dir, "elsewhere.sqlite");
    const link = join(dir, "dangling.sqlite");
    symlinkSync(target, link);
    expect(() => openSqliteStore(link)).toThrow(StoreOpenError);
    expect(() => openSqliteStore(link)).toThrow(
      /dangling\.sqlite is a symbolic link to a file that does not exist; give the real path, or create the file first\./,
    );
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}-wal`)).toBe(false);
  });

  it("in a loop is refused", () => {
    const a = join(dir, "loop-a.sqlite");
    const b = join(dir, "loop-b.sqlite");
    symlinkSync(b, a);
    symlinkSync(a, b);
    expect(() => openSqliteStore(a)).toThrow(/is a symbolic link to a file that does not exist/);
  });

  it("to an existing database is followed", async () => {
    const target = join(dir, "real.sqlite");
    const first = openSqliteStore(target);
    await first.close();
    const link = join(dir, "link.sqlite");
    symlinkSync(target, link);
    const store = openSqliteStore(link);
    await store.check();
    await store.close();
  });

  it("to nothing makes the CLI exit 2 with one sentence", async () => {
    const link = join(dir, "cli-dangling.sqlite");
    symlinkSync(join(dir, "cli-target.sqlite"), link);
    const { code, stderr } = await runCli(["--port", "0", "--db", link]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/is a symbolic link to a file that does not exist/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(dir, "cli-target.sqlite"))).toBe(false);
  });
});

// Tokens over HTTP: bound to the credentials, capped per client, never handed out unstored.
import { execFileSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, NEEDS_ROOT, ROOT, until } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-tokens-"));
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const list = (server: RunningServer, token: string) =>
  call(server.url, "GET", "/api/connections", { token });

describe("tokens", () => {
  it("stop working when the client secret changes, and work again with the old one", async () => {
    const db = join(dir, "rotation.sqlite");
    const start = async (clientSecret: string) => {
      const server = await startServer({ db, clientId: "c", clientSecret, seed: false });
      servers.push(server);
      return server;
    };
    let server = await start("secret-A");
    const token = await getToken(server.url, "c", "secret-A");
    expect((await list(server, token)).status).toBe(200);
    await servers.pop()?.close();

    server = await start("secret-B");
    const refused = await list(server, token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    await servers.pop()?.close();

    // The same credentials again: the token was kept, and it still works.
    server = await start("secret-A");
    expect((await list(server, token)).status).toBe(200);
  });

  it("are capped per client: issuing more than the cap retires the oldest", async () => {
    let now = Date.now();
    const server = await startServer({
      db: join(dir, "cap.sqlite"),
      clientId: "c",
      clientSecret: "s",
      seed: false,
      maxTokensPerClient: 3,
      now: () => now,
    });
    servers.push(server);
    const tokens: string[] = [];
    for (let i = 0; i < 6; i++) {
      now += 10;
      tokens.push(await getToken(server.url, "c", "s"));
    }
    // Past the second during which a verified token is accepted without asking the store.
    now += 2000;
    const statuses = async () =>
      Promise.all(tokens.map(async (t) => (await list(server, t)).status));
    let seen = await statuses();
    // Pruning runs off the request path, soon after the issues that exceeded the cap.
    await until(async () => {
      seen = await statuses();
      return seen[2] === 401;
    }, "the pruning of the oldest tokens");
    expect(seen).toEqual([401, 401, 401, 200, 200, 200]);
  });

  it("refuses a cap that is not a positive whole number", async () => {
    await expect(startServer({ maxTokensPerClient: 0 })).rejects.toThrow(
      "The cap of tokens per client must be a whole number, at least 1, not 0.",
    );
  });

  it.skipIf(!ROOT)(
    `are never handed out when the disk is full: 507 naming the cause (${NEEDS_ROOT})`,
    async () => {
      const mount = mkdtempSync(join(tmpdir(), "mgmtkit-full-"));
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount]);
      try {
        const server = await startServer({
          db: join(mount, "db.sqlite"),
          clientId: "c",
          clientSecret: "s",
          seed: false,
        });
        servers.push(server);
        const token = await getToken(server.url, "c", "s");
        const filler = join(mount, "filler");
        const fd = openSync(filler, "w");
        try {
          for (;;) writeSync(fd, Buffer.alloc(16 * 1024));
        } catch {
          // ENOSPC: the disk is full now.
        } finally {
          closeSync(fd);
        }
        const form = { client_id: "c", client_secret: "s", grant_type: "client_credentials" };
        // As many tokens as it takes for the log to need more space.
        let refused: Awaited<ReturnType<typeof call>> | undefined;
        for (let i = 0; i < 50 && !refused; i++) {
          const res = await call(server.url, "POST", "/oauth/token", { form });
          if (res.status !== 200) refused = res;
        }
        expect(refused?.status).toBe(507);
        expect(refused?.body).toEqual({
          statusCode: 507,
          code: "MGMT_ERR_STORE_FULL",
          error: "Insufficient Storage",
          message:
            "The disk holding the database is full; nothing was written. Free some space and retry.",
        });
        expect(refused?.text).not.toContain("access_token");
        const create = await call(server.url, "POST", "/api/connections", {
          token,
          json: {
            ...connectionBodies.adfs,
            options: { ...connectionBodies.adfs.options, pad: "x".repeat(64 * 1024) },
          },
        });
        expect(create.status).toBe(507);
        expect((await list(server, token)).status).toBe(200);

        rmSync(filler);
        expect((await call(server.url, "POST", "/oauth/token", { form })).status).toBe(200);
        await servers.pop()?.close();
      } finally {
        execFileSync("umount", [mount]);
        rmSync(mount, { recursive: true, force: true });
      }
    },
  );
});

describe("GET /healthz", () => {
  it("answers 200 without a token while the store answers", async () => {
    const server = await startServer({ seed: false });
    servers.push(server);
    const res = await call(server.url, "GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

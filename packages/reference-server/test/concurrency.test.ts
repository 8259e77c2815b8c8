import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@mgmtkit/reference-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-concurrency-"));
let server: RunningServer;
let token: string;

beforeAll(async () => {
  // A file database, so that the writes go through the journal as in production.
  server = await startServer({
    db: join(dir, "db.sqlite"),
    clientId: "c",
    clientSecret: "s",
    seed: false,
  });
  token = await getToken(server.url, "c", "s");
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("concurrent requests", () => {
  it("50 parallel creates of one name give one 201 and 49 409", async () => {
    const body = { ...connectionBodies.office365, name: "contended" };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(server.url, "POST", "/api/connections", { token, json: body }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const list = (await call(server.url, "GET", "/api/connections", { token })).body as Array<{
      name: string;
    }>;
    expect(list.filter((c) => c.name === "contended")).toHaveLength(1);
  });

  it("parallel replacements never lose the row, and the last one answered is what is stored", async () => {
    const name = "updated-in-parallel";
    const created = (
      await call(server.url, "POST", "/api/connections", {
        token,
        json: { ...connectionBodies.adfs, name },
      })
    ).body as { id: string };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(server.url, "PUT", `/api/connections/${name}`, {
          token,
          json: {
            ...connectionBodies.adfs,
            name,
            client_id: "c",
            status: i % 2,
            options: { ...connectionBodies.adfs.options, tenant_domain: `t${i}.example` },
          },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const stored = (await call(server.url, "GET", `/api/connections/${name}`, { token })).body as {
      id: string;
      options: { tenant_domain: string };
    };
    expect(stored.id).toBe(created.id);
    const written = answers.map(
      (a) => (a.body as { options: { tenant_domain: string } }).options.tenant_domain,
    );
    expect(written).toContain(stored.options.tenant_domain);
    for (const a of answers) expect((a.body as { id: string }).id).toBe(created.id);
  });

  it("parallel creates of distinct names, replacements and deletes all land", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `many-${i}`);
    const creates = await Promise.all(
      names.map((name) =>
        call(server.url, "POST", "/api/connections", {
          token,
          json: { ...connectionBodies["google-oauth2"], name },
        }),
      ),
    );
    expect(creates.every((a) => a.status === 201)).toBe(true);
    const mixed = await Promise.all(
      names.map((name, i) =>
        i % 2 === 0
          ? call(server.url, "DELETE", `/api/connections/${name}`, { token })
          : call(server.url, "PUT", `/api/connections/${name}`, {
              token,
              json: { ...connectionBodies["google-oauth2"], name, client_id: "c", status: 0 },
            }),
      ),
    );
    expect(mixed.every((a) => a.status === 200)).toBe(true);
    const list = (await call(server.url, "GET", "/api/connections", { token })).body as Array<{
      name: string;
      status: number;
    }>;
    const left = list.filter((c) => c.name.startsWith("many-"));
    expect(left.map((c) => c.name).sort()).toEqual(names.filter((_, i) => i % 2 === 1).sort());
    expect(left.every((c) => c.status === 0)).toBe(true);
  });
});

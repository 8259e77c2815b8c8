// Two server processes on one PostgreSQL database, requests sent round-robin across them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliProcess, call, connectionBodies, getToken, startCli } from "./helpers.js";
import { postgresTestsRun, usePostgres } from "./support/postgres.js";

const pg = usePostgres();

// An instance answers reads from memory, and sees another instance's acknowledged write in every
// read it starts at most this long after the acknowledgement (its own writes at once).
const COHERENCE_MS = 100;
const coherent = () => new Promise((resolve) => setTimeout(resolve, COHERENCE_MS));

describe.runIf(postgresTestsRun)("two instances on one PostgreSQL database", () => {
  let url: string;
  let a: CliProcess;
  let b: CliProcess;
  let token: string;
  const args = () => [
    "--port",
    "0",
    "--db",
    url,
    "--client-id",
    "c",
    "--client-secret",
    "s",
    "--no-seed",
  ];
  beforeAll(async () => {
    if (!postgresTestsRun) return;
    url = await pg.current.createDatabase();
    [a, b] = await Promise.all([startCli(args()), startCli(args())]);
    token = await getToken(a.url, "c", "s");
  }, 60_000);
  afterAll(async () => {
    for (const cli of [a, b]) {
      if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill("SIGTERM");
        await cli.exited;
      }
    }
  });

  it("a connection created on one is read, replaced and deleted on the other", async () => {
    const body = { ...connectionBodies.office365, name: "shared-one" };
    const created = await call(a.url, "POST", "/api/connections", { token, json: body });
    expect(created.status).toBe(201);
    await coherent();
    const read = await call(b.url, "GET", "/api/connections/shared-one", { token });
    expect(read.body).toEqual({
      ...(created.body as object),
      provisioning_ticket_url: expect.stringContaining(b.url),
    });
    expect(
      ((await call(b.url, "GET", "/api/connections", { token })).body as { name: string }[]).map(
        (c) => c.name,
      ),
    ).toContain("shared-one");
    const replaced = await call(b.url, "PUT", "/api/connections/shared-one", {
      token,
      json: { ...body, client_id: "c", status: 0 },
    });
    expect(replaced.status).toBe(200);
    await coherent();
    expect(
      (
        (await call(a.url, "GET", "/api/connections/shared-one", { token })).body as {
          status: number;
        }
      ).status,
    ).toBe(0);
    const removed = await call(b.url, "DELETE", "/api/connections/shared-one", { token });
    expect(removed.body).toEqual({ removed: (created.body as { id: string }).id });
    await coherent();
    expect((await call(a.url, "GET", "/api/connections/shared-one", { token })).status).toBe(404);
    expect((await call(a.url, "DELETE", "/api/connections/shared-one", { token })).status).toBe(
      404,
    );
  });

  it("of 2,000 parallel creates of one name across both, exactly one gets 201 and the rest 409", {
    // About 5 s on an idle machine; the margin holds at a quarter of that speed.
    timeout: 90_000,
  }, async () => {
    const body = { ...connectionBodies.adfs, name: "contended-everywhere" };
    // 200 in flight at any time, half on each instance: contention enough for a race on the
    // name, without 2,000 sockets and a queue of statements that outlast the store's deadline on a
    // busy machine.
    const answers: Awaited<ReturnType<typeof call>>[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        for (let i = next++; i < 2000; i = next++) {
          answers[i] = await call(i % 2 === 0 ? a.url : b.url, "POST", "/api/connections", {
            token,
            json: body,
          });
        }
      }),
    );
    const others = answers.filter((r) => r.status !== 201 && r.status !== 409);
    const count = (status: number) => answers.filter((r) => r.status === status).length;
    console.log(
      `2,000 parallel creates of one name on two instances: ${count(201)} x 201, ${count(409)} x 409, ${2000 - count(201) - count(409)} other`,
    );
    expect(others.map((r) => r.text.slice(0, 200))).toEqual([]);
    expect(count(201)).toBe(1);
    expect(count(409)).toBe(1999);
    const list = (await call(b.url, "GET", "/api/connections", { token })).body as {
      name: string;
    }[];
    expect(list.filter((c) => c.name === body.name)).toHaveLength(1);
  });

  it("kill -9 of one instance mid-stream loses no acknowledged write; the other keeps serving", async () => {
    const created = new Set<string>();
    const deleted = new Set<string>();
    // A write sent but not acknowledged may or may not have happened.
    const unsure = new Set<string>();
    let attempts = 0;
    let killed = false;
    let acknowledgedByBAfterKill = 0;
    let failure: Error | undefined;
    const writer = async (w: number) => {
      for (let i = 0; failure === undefined && (!killed || acknowledgedByBAfterKill < 200); i++) {
        const name = `w${w}-n${i}`;
        const target = (i + w) % 2 === 0 ? a : b;
        attempts++;
        try {
          unsure.add(name);
          const res = await call(target.url, "POST", "/api/connections", {
            token,
            json: { ...connectionBodies["google-oauth2"], name },
          });
          if (res.status !== 201) throw new Error(`create answered ${res.status}`);
          created.add(name);
          if (killed && target === b) acknowledgedByBAfterKill++;
          if (i % 4 === 3) {
            // The delete goes to the other instance.
            const other = target === a ? b : a;
            const del = await call(other.url, "DELETE", `/api/connections/${name}`, { token });
            if (del.status !== 200) throw new Error(`delete answered ${del.status}`);
            deleted.add(name);
          } else {
            unsure.delete(name);
          }
        } catch (error) {
          // Requests to the killed instance fail; those were never acknowledged.
          if (killed && target === a) continue;
          if (killed && (error as Error).message.includes("fetch failed")) continue;
          failure ??= error as Error;
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    while (created.size < 300 && !failure) await new Promise((r) => setTimeout(r, 5));
    expect(failure).toBeUndefined();
    killed = true;
    a.child.kill("SIGKILL");
    await Promise.all(writers);
    expect(failure).toBeUndefined();
    expect((await a.exited).signal).toBe("SIGKILL");
    expect(acknowledgedByBAfterKill).toBeGreaterThanOrEqual(200);

    await coherent();
    const res = await call(b.url, "GET", "/api/connections", { token });
    expect(res.status).toBe(200);
    const stored = new Set((res.body as { name: string }[]).map((c) => c.name));
    const mustExist = [...created].filter((n) => !deleted.has(n) && !unsure.has(n));
    const kept = mustExist.filter((n) => stored.has(n));
    const resurrected = [...deleted].filter((n) => stored.has(n));
    console.log(
      `two instances, kill -9 of one mid-stream: ${attempts} writes attempted, ${created.size} creates and ${deleted.size} deletes acknowledged ` +
        `(${acknowledgedByBAfterKill} creates by the survivor after the kill); ${kept.length}/${mustExist.length} acknowledged connections kept, ` +
        `${resurrected.length} acknowledged deletes undone`,
    );
    expect(kept).toEqual(mustExist);
    expect(resurrected).toEqual([]);
  });
});

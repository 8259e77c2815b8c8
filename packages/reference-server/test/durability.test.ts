import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { call, connectionBodies, getToken, startCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "mgmtkit-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(["normal", "full"])("--synchronous %s", (synchronous) => {
  it("keeps every acknowledged write after the process is killed with SIGKILL mid-stream", async () => {
    const args = [
      "--port",
      "0",
      "--db",
      join(dir, `${synchronous}.sqlite`),
      "--synchronous",
      synchronous,
      "--client-id",
      "c",
      "--client-secret",
      "s",
      "--no-seed",
    ];
    const first = await startCli(args);
    const token = await getToken(first.url, "c", "s");

    const created = new Set<string>();
    const deleted = new Set<string>();
    // A delete sent but not acknowledged may or may not have happened.
    const deleting = new Set<string>();
    let attempts = 0;
    let killed = false;
    let failure: Error | undefined;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const name = `w${w}-n${i}`;
        attempts++;
        try {
          const res = await call(first.url, "POST", "/api/connections", {
            token,
            json: { ...connectionBodies["google-oauth2"], name },
          });
          if (res.status !== 201) throw new Error(`create answered ${res.status}`);
          created.add(name);
          if (i % 4 === 3) {
            deleting.add(name);
            const del = await call(first.url, "DELETE", `/api/connections/${name}`, { token });
            if (del.status !== 200) throw new Error(`delete answered ${del.status}`);
            deleted.add(name);
          }
        } catch (error) {
          if (killed) return;
          failure ??= error as Error;
          return;
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    // Kill once enough writes were acknowledged that the kill lands in the middle of the stream.
    while (created.size < 300 && !failure) await new Promise((r) => setTimeout(r, 5));
    expect(failure).toBeUndefined();
    killed = true;
    first.child.kill("SIGKILL");
    await Promise.allSettled(writers);
    expect((await first.exited).signal).toBe("SIGKILL");

    const second = await startCli(args);
    try {
      const token2 = await getToken(second.url, "c", "s");
      const res = await call(second.url, "GET", "/api/connections", { token: token2 });
      expect(res.status).toBe(200);
      const stored = new Set((res.body as Array<{ name: string }>).map((c) => c.name));
      const mustExist = [...created].filter((n) => !deleting.has(n));
      const kept = mustExist.filter((n) => stored.has(n));
      const resurrected = [...deleted].filter((n) => stored.has(n));
      console.log(
        `durability (--synchronous ${synchronous}): ${attempts} writes attempted, ${created.size} creates and ${deleted.size} deletes acknowledged; ` +
          `after SIGKILL and restart ${kept.length}/${mustExist.length} acknowledged connections kept, ` +
          `${resurrected.length} acknowledged deletes undone`,
      );
      expect(kept).toEqual(mustExist);
      expect(resurrected).toEqual([]);
      // The token issued before the kill was acknowledged too, so it still works.
      expect((await call(second.url, "GET", "/api/connections", { token })).status).toBe(200);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});

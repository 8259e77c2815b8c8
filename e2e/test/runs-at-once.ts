import { runSuite, type SuiteReport } from "@mgmtkit/contract";
import { expect } from "vitest";
import { accessToken } from "./server.js";

/** `runs` default core runs at once against the server; every one must pass. */
export async function runsAtOnce(
  target: { url: string; clientId: string; clientSecret: string },
  runs: number,
): Promise<SuiteReport[]> {
  const reports = await Promise.all(
    Array.from({ length: runs }, () =>
      runSuite({
        baseUrl: target.url,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
      }),
    ),
  );
  const failed = reports.flatMap((report, index) =>
    report.checks
      .filter((c) => c.status !== "passed")
      .map(
        (c) =>
          `run ${index + 1} (seed ${report.seed}), ${c.id}: ${c.failures[0]?.observed ?? c.skipReason}`,
      ),
  );
  expect(failed).toEqual([]);
  // Every run cleaned up after itself, whatever the others did meanwhile.
  const token = await accessToken(target.url, target);
  const left = (await fetch(`${target.url}/api/connections`, {
    headers: { authorization: `bearer ${token}` },
  }).then((r) => r.json())) as Array<{ name: string }>;
  expect(left.map((c) => c.name).filter((name) => name.startsWith("mgmtkit-contract-"))).toEqual(
    [],
  );
  return reports;
}

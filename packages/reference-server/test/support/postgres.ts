import {
  findPostgresBinDir,
  startTestPostgres,
  type TestPostgres,
} from "@mgmtkit/reference-server/testing";
import { afterAll, beforeAll } from "vitest";

/**
 * Whether this file's PostgreSQL tests run. They always run in CI (`CI` set) and wherever PostgreSQL
 * is installed, and then fail with a clear message if it cannot be started. Elsewhere they are
 * skipped, saying so.
 */
export const postgresTestsRun: boolean = (() => {
  if (process.env.CI) return true;
  try {
    findPostgresBinDir();
    return true;
  } catch (error) {
    console.warn(`Skipping the PostgreSQL tests: ${(error as Error).message}`);
    return false;
  }
})();

/**
 * Starts one throwaway cluster for the calling test file (in `beforeAll`) and removes it after;
 * read `.current` inside tests.
 */
export function usePostgres(): { readonly current: TestPostgres } {
  const holder: { current?: TestPostgres } = {};
  beforeAll(async () => {
    if (!postgresTestsRun) return;
    try {
      holder.current = await startTestPostgres();
    } catch (error) {
      throw new Error(
        `PostgreSQL could not be started for these tests: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }, 90_000);
  afterAll(async () => {
    await holder.current?.destroy();
  });
  return {
    get current(): TestPostgres {
      if (!holder.current) throw new Error("PostgreSQL was not started.");
      return holder.current;
    },
  };
}

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI, as `npx mgmtkit-contract` runs it. */
export const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The caller's environment without any MGMTKIT_* variable, which would change what a run does. */
export const cleanEnv = (): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")));

/** Runs the built CLI to its end, with `env` over a clean environment and no colours. */
export function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...cleanEnv(), ...env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

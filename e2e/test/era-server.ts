import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

/** The era server's command line, run by node as any independent server would be. */
export const eraCli = fileURLToPath(new URL("../era-server/cli.js", import.meta.url));

export interface EraServer {
  url: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/**
 * The server written from the document alone (`era-server/`), started as its own process on
 * 127.0.0.1 and a free port, with fresh credentials given through the environment. `strict`
 * starts its stricter twin.
 */
export async function startEra({ strict }: { strict: boolean }): Promise<EraServer> {
  const clientId = `era-${randomBytes(4).toString("hex")}`;
  const clientSecret = randomBytes(24).toString("base64url");
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("MGMTKIT_")),
  );
  const child = spawn(process.execPath, [eraCli, "--port", "0", ...(strict ? ["--strict"] : [])], {
    env: { ...clean, MGMTKIT_CLIENT_ID: clientId, MGMTKIT_CLIENT_SECRET: clientSecret },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await listeningUrl(child);
  return {
    url,
    clientId,
    clientSecret,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** The URL of the "era-server listening on <url>" line, or the reason the server never said it. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
      const match = /era-server listening on (\S+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(new Error(`the era server exited with ${code} before listening: ${stderr.trim()}`)),
    );
  });
}

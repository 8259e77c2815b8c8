import { existsSync } from "node:fs";
import { delimiter } from "node:path";
import { workspaceRoot } from "./workspace.js";

/**
 * The environment of a stranger's shell: what pnpm, turbo and vitest add to the environment of this
 * test, and every PATH entry inside the workspace, are gone, so nothing installed from the registry
 * can reach the workspace's own node_modules or binaries.
 */
export function outsideEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^npm_(package|lifecycle|execpath|node_execpath|command)/i.test(key) ||
      /^npm_config_user_agent$/i.test(key) ||
      /^pnpm_/i.test(key) ||
      /^(turbo|vitest|tinypool)/i.test(key) ||
      ["NODE_PATH", "NODE_OPTIONS", "INIT_CWD", "TEST", "NODE_ENV"].includes(key.toUpperCase())
    ) {
      continue;
    }
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => entry && !entry.startsWith(workspaceRoot))
    .join(delimiter);
  // better-sqlite3 compiles from source where its prebuilt binary is out of reach: against Node's
  // own headers where Debian's Node keeps them, on every core.
  if (!env.npm_config_nodedir && existsSync("/usr/include/node/node.h")) {
    env.npm_config_nodedir = "/usr";
  }
  env.JOBS ??= "max";
  return env;
}

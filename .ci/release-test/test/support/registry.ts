import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { runServer } from "verdaccio";

export interface LocalRegistry {
  /** Base URL with a trailing slash, as npm expects it. */
  url: string;
  close(): Promise<void>;
}

/**
 * A verdaccio registry on 127.0.0.1 and a free port, storing in `dir`, with no uplinks: it serves
 * only what is published to it, and anyone may publish `@mgmtkit/*` (no account needed).
 */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const server: Server = await runServer({
    self_path: dir,
    storage: join(dir, "storage"),
    uplinks: {},
    packages: {
      "@mgmtkit/*": { access: "$all", publish: "$all", unpublish: "$all" },
    },
    auth: { htpasswd: { file: join(dir, "htpasswd"), max_users: -1 } },
    web: { enable: false },
    log: { type: "stdout", format: "pretty", level: "error" },
  } as unknown as Parameters<typeof runServer>[0]);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

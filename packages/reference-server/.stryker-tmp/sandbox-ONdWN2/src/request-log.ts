// @ts-nocheck
import type { FastifyServerOptions } from "fastify";

/** The query parameters whose values are secrets, by their decoded names. */
const SECRET_PARAMETERS = new Set(["access_token"]);

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return raw;
  }
}

/**
 * The URL with the value of every secret query parameter replaced by `[redacted]`. Names are
 * compared decoded, as the query parser decodes them before the server reads the token, so that
 * `?access%5Ftoken=…` is redacted like `?access_token=…`.
 */
export function redactUrl(url: string | undefined): string {
  const text = url ?? "";
  const q = text.indexOf("?");
  if (q === -1) return text;
  const pairs = text
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return SECRET_PARAMETERS.has(decodedName(name)) ? `${name}=[redacted]` : pair;
    });
  return `${text.slice(0, q + 1)}${pairs.join("&")}`;
}

/**
 * fastify's logger for `logger: true`: requests are logged with their method and redacted URL
 * only (no headers, so no Authorization), at level info, to `stream` (default stdout).
 */
export function requestLogger(
  stream?: NodeJS.WritableStream,
): NonNullable<FastifyServerOptions["logger"]> {
  return {
    level: "info",
    ...(stream ? { stream } : {}),
    serializers: {
      req: (req: { method?: string; url?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
      }),
    },
  };
}

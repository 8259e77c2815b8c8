import type { FastifyServerOptions } from "fastify";

/**
 * What marks a query parameter's value as a secret, matched against its name decoded, lower-cased
 * and stripped of everything but letters and digits: so `access_token`, `access-token`,
 * `accessToken`, `ACCESS_TOKEN`, `token`, `client_secret` and `api_key` all count. Wider than what
 * the server reads on purpose: a log is the wrong place to learn that a client sent its secret
 * under a name the server ignores.
 */
const SECRET_NAME =
  /token|secret|passw|pwd|apikey|auth|credential|session|signature|cookie|jwt|assertion|privatekey/;
/** Names that are secrets only when they are the whole name (`key` is not `monkey`). */
const SECRET_WHOLE_NAMES = new Set(["key", "code", "sig", "pass"]);

/** The scheme and authority of an absolute-form target, and the userinfo in it when there is one. */
const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/;

function decodedName(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    return raw;
  }
}

/** Whether a query parameter of this (raw) name carries a secret; see `SECRET_NAME`. */
export function isSecretParameter(raw: string): boolean {
  const name = decodedName(raw)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  return SECRET_NAME.test(name) || SECRET_WHOLE_NAMES.has(name);
}

/**
 * The URL with its userinfo (`http://user:pw@host/…`, as an absolute-form target may carry) and
 * the value of every secret-like query parameter (see `isSecretParameter`) replaced by
 * `[redacted]`. Names are compared decoded, as the query parser decodes them before the server
 * reads the token, so that `?access%5Ftoken=…` is redacted like `?access_token=…`.
 */
export function redactUrl(url: string | undefined): string {
  const text = (url ?? "").replace(USERINFO, "$1[redacted]@");
  const q = text.indexOf("?");
  if (q === -1) return text;
  const pairs = text
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return isSecretParameter(name) ? `${name}=[redacted]` : pair;
    });
  return `${text.slice(0, q + 1)}${pairs.join("&")}`;
}

/**
 * fastify's logger for `logger: true`: requests are logged with their method and redacted URL
 * only (see `redactUrl`) (no headers, so no Authorization), at level info, to `stream` (default stdout).
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

// @ts-nocheck
import type { FastifyRequest } from "fastify";

const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Checks a public URL and answers its origin (`https://api.example.com`, no trailing slash). It
 * must be an http or https URL with a host and nothing after it but a `/`: generated URLs append
 * their own paths. Throws a `RangeError` with one sentence otherwise.
 */
export function publicOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(
      `The public URL must be an absolute http or https URL, not ${JSON.stringify(value)}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RangeError(
      `The public URL must use http or https, not ${url.protocol.slice(0, -1)}.`,
    );
  }
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) {
    throw new RangeError(
      `The public URL must be an origin such as https://api.example.com, without credentials, path, query or fragment, not ${JSON.stringify(value)}.`,
    );
  }
  return url.origin;
}

/**
 * The origin of the URLs an answer holds (`provisioning_ticket_url`, `Link`): the public URL when
 * one is configured, else the scheme and Host header the request came with (a Host that is not a
 * host name or address, with an optional port, gives way to `fallbackHost`).
 */
export function originResolver(options: {
  publicUrl?: string | undefined;
  fallbackHost: () => string;
}): (request: FastifyRequest) => string {
  if (options.publicUrl !== undefined) {
    const fixed = publicOrigin(options.publicUrl);
    return () => fixed;
  }
  return (request) => {
    const host = request.host;
    const usable =
      typeof host === "string" && HOST_PATTERN.test(host) ? host : options.fallbackHost();
    return `${request.protocol}://${usable}`;
  };
}

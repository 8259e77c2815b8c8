import { createHash } from "node:crypto";
import { matchOperation } from "@mgmtkit/spec/model";
import { pathUnder } from "./exchange.js";
import type { Failure } from "./types.js";

/**
 * Fingerprints say "this failure again" across runs: the same broken rule, on the same operation,
 * broken the same way, gets the same fingerprint whatever names the run created, whichever seed
 * generated the request, and whichever token it carried. A baseline of expected failures holds
 * them.
 */

/** What a fingerprint is made of; `shape` is normalised before it is hashed. */
export interface FingerprintParts {
  /** The check the failure is reported under. */
  checkId: string;
  /** The failure's `type`: `"check"`, or the id of the validator that found it. */
  type: string;
  /** The operation of the spec the request addressed (`createConnection`), if any. */
  operation?: string | undefined;
  /**
   * How the rule broke: a validator's key (status, first schema problem, content type…), or the
   * requirement a check's assertion states.
   */
  shape: string;
}

// Order matters: whole names and URLs go before the digits and tokens inside them.
const VOLATILE: Array<[RegExp, string]> = [
  // The names the suite creates carry the run's id: mgmtkit-contract-<run>-<label>-<n>.
  [/mgmtkit-contract-[0-9a-f]{6}[\w.~%-]*/g, "<name>"],
  // Origins differ between runs (a free port); the path stays.
  [/\bhttps?:\/\/[^\s/"'<>]+/g, ""],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<time>"],
  // Values a server or a generator chose: quoted strings, long numbers, hex and token-like runs.
  [/"(?:[^"\\]|\\.)*"/g, '"…"'],
  [/\b(?=[\w-]*\d)[A-Za-z0-9_-]{16,}\b/g, "<token>"],
  [/\b(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"],
  [/\d{4,}/g, "<n>"],
  // Array positions differ between answers that break a rule the same way.
  [/\[\d+\]/g, "[]"],
];

/** The shape of a problem with what differs from run to run left out. */
export function normalizeShape(text: string): string {
  let out = text;
  for (const [pattern, replacement] of VOLATILE) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, " ").trim();
}

/** Twelve hex digits of a SHA-256 over the parts, the shape normalised. */
export function fingerprint(parts: FingerprintParts): string {
  const material = [
    parts.checkId,
    parts.type,
    parts.operation ?? "-",
    normalizeShape(parts.shape),
  ].join("\n");
  return createHash("sha256").update(material).digest("hex").slice(0, 12);
}

/**
 * The operation a failure's `request` (`METHOD URL`) addressed, under `baseUrl`; undefined for
 * a failure without a request or one the spec does not document.
 */
export function operationOfRequest(
  request: string | undefined,
  baseUrl: string,
): string | undefined {
  if (!request) return undefined;
  const space = request.indexOf(" ");
  if (space === -1) return undefined;
  try {
    const path = pathUnder(baseUrl, request.slice(space + 1));
    return matchOperation(request.slice(0, space), path)?.operation.id;
  } catch {
    return undefined;
  }
}

/** A failure's fingerprint: the one it carries, or one derived the same way from its fields. */
export function fingerprintOf(failure: Failure, baseUrl: string): string {
  return (
    failure.fingerprint ??
    fingerprint({
      checkId: failure.checkId,
      type: failure.type,
      operation: operationOfRequest(failure.request, baseUrl),
      shape: failure.requirement,
    })
  );
}

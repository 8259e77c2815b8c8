/**
 * Refs into the spec as the validator's ajv holds it (`spec#/components/…`): read by the model
 * and by the validator, which the model re-exports, so that neither imports the other.
 */
import { spec } from "./index.js";

/** The id under which the validator's ajv holds the spec: refs look like `spec#/components/…`. */
export const SPEC_ID = "spec";

/** Escapes one segment of a JSON pointer (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The validator ref of a place in the spec: `specRef("components", "schemas", "User")`. */
export function specRef(...segments: string[]): string {
  return `${SPEC_ID}#/${segments.map(pointerSegment).join("/")}`;
}

/** The node a ref points at (`spec#/…` or `#/…`), or undefined. */
export function resolveRef(ref: string, root: unknown = spec): unknown {
  const hash = ref.indexOf("#");
  const pointer = hash === -1 ? ref : ref.slice(hash + 1);
  let node: unknown = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[raw.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

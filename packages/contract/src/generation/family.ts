import type { OperationModel, Strategy } from "@mgmtkit/spec/model";
import type fc from "fast-check";
import { type OpenPointId, point, type RequestReading, refusalsFor } from "../open-points.js";
import type { Profile } from "../types.js";
import type { AuthDraft, Draft } from "./draft.js";

/**
 * What a generated request must get: `valid` a success, `invalid` a refusal (a 4xx), `open` a
 * success or a refusal, as the document leaves it open. Never a 5xx, whatever the kind.
 */
export type CaseKind = "valid" | "invalid" | "open";

/** One family of generated requests to one operation: inputs of one shape, drawn from a seed. */
export interface Family {
  /** `<operationId>/<kind>/<name>`, stable. */
  id: string;
  operation: OperationModel;
  kind: CaseKind;
  /** The inputs, in a few words, as reports print them. */
  description: string;
  /** For `invalid` families: the statuses that refuse (classes such as `"4xx"`). */
  refused: Array<number | string>;
  /** For `invalid` families: a 200 with an empty JSON array counts as a refusal (open point users.unknown-connection). */
  emptyListRefuses?: boolean;
  /** The RFC 6749 error a refusal's JSON body names, where the family's open point fixes one. */
  refusedError?: string;
  /** Whether an accepted request's connection shows exactly what was sent. */
  showsAsSent?: boolean;
  /** How many cases the family has; undefined for `--max-examples`. */
  examples?: number;
  /** The drafts of the family, for one case's name and its position in the family. */
  draft(input: { name: string; example: number }): fc.Arbitrary<Draft>;
}

/** Makes the drafts of a family's example `example`, for the case's connection name. */
export type Make = (name: string, example: number) => fc.Arbitrary<Draft>;

/** A valid body edited into another value (a mutation), the body left as it was. */
export type Edit = (body: Record<string, unknown>) => unknown;

/**
 * How to make the requests of one operation: valid ones, and, for an operation with a body, valid
 * ones whose body is edited or sent as other text. Families are written against a shape, never
 * against one operation.
 */
export interface Shape {
  operation: OperationModel;
  profile: Profile;
  /** A valid request, changed by `change` (the token, the query, the headers). */
  valid(name: string, change: Partial<Draft>): fc.Arbitrary<Draft>;
  /** The body's fields are JSON values (`json`) or form parameters (`form`); none without a body. */
  body?: "json" | "form";
  /** A valid request whose body is edited; `edits` of the strategy drawn, among `among`. */
  edited?(
    name: string,
    edits: (strategy: Strategy | undefined) => fc.Arbitrary<Edit>,
    among?: readonly Strategy[],
  ): fc.Arbitrary<Draft>;
}

export const CONNECTION_PATH = "/api/connections";
export const onePath = (name: string) => `${CONNECTION_PATH}/${encodeURIComponent(name)}`;
export const PLAIN: AuthDraft = { kind: "header", scheme: "bearer" };

export function draft(partial: Partial<Draft> & Pick<Draft, "method" | "path">): Draft {
  return { query: [], auth: PLAIN, headers: {}, creates: [], ...partial };
}

/** RFC 9110 section 15.5.2: the status of a request without valid credentials. */
const UNAUTHORIZED = 401;
/** RFC 9110 section 15.5.5: the status of what has no current representation. */
const NOT_FOUND = 404;
/** RFC 9110 sections 15.5.14 and 15.5.16: content too large, a media type not taken. */
const CONTENT = [413, 415];

/** The 4xx statuses the spec documents for an operation. */
export function documented4xx(operation: OperationModel): number[] {
  return [...operation.responses.keys()].filter((k) => /^4\d\d$/.test(k)).map(Number);
}

/**
 * The statuses that refuse a request whose token is right but whose input is not, as open point
 * errors.refusal-status reads the operation's documented 4xx: all of them but the refusals of a
 * token, of what does not exist and, unless `content` (a body of another media type or none), of
 * the content's size and type. The token endpoint's are RFC 6749's (section 5.2) under every
 * reading: its documented 400 and 401.
 */
export function inputRefusals(
  operation: OperationModel,
  profile: Profile,
  content = false,
): Array<number | "4xx"> {
  const statuses = documented4xx(operation).filter((s) => content || !CONTENT.includes(s));
  if (!operation.secured) return statuses;
  return refusalsFor(
    profile,
    statuses.filter((s) => s !== UNAUTHORIZED && s !== NOT_FOUND),
  );
}

/** The operation's documented refusal of a request without a valid token. */
export const tokenRefusals = (operation: OperationModel) =>
  documented4xx(operation).filter((s) => s === UNAUTHORIZED);

/** The operation's documented answer to what does not exist. */
export const absentRefusals = (operation: OperationModel) =>
  documented4xx(operation).filter((s) => s === NOT_FOUND);

export function family(
  operation: OperationModel,
  name: string,
  kind: CaseKind,
  description: string,
  make: Make,
  extra: Partial<
    Pick<Family, "refused" | "emptyListRefuses" | "examples" | "refusedError" | "showsAsSent">
  > = {},
): Family {
  return {
    id: `${operation.id}/${kind}/${name}`,
    operation,
    kind,
    description,
    refused: ["4xx"],
    ...extra,
    draft: ({ name: caseName, example }) => make(caseName, example),
  };
}

const KINDS = { accept: "valid", refuse: "invalid", either: "open" } as const;

/**
 * The open point `id`, which the spec marks at `at` of the operation's request (`x-open-point`):
 * a family reads a point only where the spec says the document leaves it open.
 */
export function marked<K extends OpenPointId>(
  operation: OperationModel,
  at: string,
  id: K,
): ReturnType<typeof point<K>> {
  if (!isMarked(operation, at, id)) {
    throw new Error(`The spec marks no open point ${id} at "${at}" of ${operation.id}.`);
  }
  return point(id);
}

export const isMarked = (operation: OperationModel, at: string, id: string) =>
  operation.openPoints.some((p) => p.point === id && p.at === at);

/** A family whose kind and refusals an open point's reading decides. */
export function decided(
  shape: Shape,
  name: string,
  reading: RequestReading,
  description: string,
  make: Make,
  extra: Partial<Pick<Family, "examples">> = {},
): Family {
  const refused = reading.refusals ?? inputRefusals(shape.operation, shape.profile);
  return family(shape.operation, name, KINDS[reading.answer], description, make, {
    refused: [...refused],
    ...(reading.error ? { refusedError: reading.error } : {}),
    ...(reading.showsAsSent ? { showsAsSent: true } : {}),
    ...extra,
  });
}

import { type MediaTypeModel, methodsAt } from "@mgmtkit/spec/model";
import { readBoundedJson } from "./bounded-json.js";
import type { Exchange } from "./exchange.js";
import type { CheckInfo, Profile } from "./types.js";
import { specValidator, type ValidationFailure } from "./validators.js";

/**
 * Request validators: what a client's request must be for the spec, judged one exchange at a
 * time, as the response validators judge answers. The suite never needs them for its own
 * requests (some break the rules on purpose); a validating proxy applies them to traffic it
 * forwards.
 */

/** What a request validator knows beyond the exchange itself. */
export interface RequestContext {
  /** The reading of the spec's schemas: `core` as written, `strict` with `x-strict` applied. */
  profile: Profile;
  /**
   * Body bytes the client sent. When they exceed what was kept, `requestBody` is absent and the
   * body is not judged. Default: the length of `requestBody`.
   */
  requestBytes?: number;
}

export interface RequestValidator extends CheckInfo {
  /** The problem with one request, or undefined. */
  validate(
    exchange: Exchange,
    context: RequestContext,
  ): Omit<ValidationFailure, "type"> | undefined;
}

function header(exchange: Exchange, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(exchange.requestHeaders)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

const essence = (contentType: string | undefined) =>
  contentType?.split(";")[0]?.trim().toLowerCase() ?? "";

const bodyBytes = (exchange: Exchange, context: RequestContext) =>
  context.requestBytes ?? Buffer.byteLength(exchange.requestBody ?? "");

/** Where a request goes, as a sentence's subject: `POST /api/connections`. */
const target = (exchange: Exchange) =>
  `${exchange.method} ${exchange.operation?.path ?? exchange.path}`;

/** The documented media type of the body, when the request has a body its operation takes. */
function mediaType(exchange: Exchange): MediaTypeModel | undefined {
  const type = essence(header(exchange, "content-type"));
  return exchange.operation?.requestBody?.content.find((c) => c.mediaType === type);
}

/** A HEAD is a GET without the body (RFC 9110 section 9.3.2); an OPTIONS preflight is CORS plumbing. */
function isPlumbing(exchange: Exchange): boolean {
  if (exchange.method === "HEAD") return methodsAt(exchange.path).includes("GET");
  return (
    exchange.method === "OPTIONS" && header(exchange, "access-control-request-method") !== undefined
  );
}

const operation: RequestValidator = {
  id: "request.operation",
  profile: "core",
  title: "Every request addresses a documented operation",
  requirement:
    "Every request uses a path and a method the spec documents (a trailing slash is the same path).",
  source:
    "the token request (API endpoint) and the verbs and URLs of Connection Methods and Users; spec paths",
  validate(exchange) {
    if (exchange.operation || isPlumbing(exchange)) return undefined;
    const methods = methodsAt(exchange.path);
    return {
      requirement: `${exchange.method} ${exchange.path} is an operation the spec documents.`,
      observed:
        methods.length > 0
          ? `The client sent ${exchange.method} ${exchange.path}, where the spec documents only ${methods.join(", ")}.`
          : `The client sent ${exchange.method} ${exchange.path}, a path the spec does not document.`,
      key: `${exchange.method} ${methods.length > 0 ? "method" : "path"}`,
    };
  },
};

const media: RequestValidator = {
  id: "request.media-type",
  profile: "core",
  title: "Every body is sent in a documented media type",
  requirement:
    "A request body is sent with a Content-Type the spec documents for its operation (parameters such as charset aside).",
  source:
    '"Content-type: application/x-www-form-urlencoded" (API endpoint); "POST a connection object to the connections resource" (Create a new Connection); spec requestBody.content',
  validate(exchange, context) {
    const body = exchange.operation?.requestBody;
    if (!body || bodyBytes(exchange, context) === 0 || mediaType(exchange)) return undefined;
    const sent = header(exchange, "content-type");
    return {
      requirement: `${target(exchange)} sends its body as ${body.mediaTypes.join(" or ")}.`,
      observed: `The client sent a body with ${sent === undefined ? "no Content-Type" : `Content-Type ${sent}`}.`,
      key: `${exchange.operation?.id} ${essence(sent) || "none"}`,
    };
  },
};

/**
 * The body as the schema sees it: JSON parsed (within the suite's limits: `beyond` says why not),
 * a form as an object (a repeated field as an array).
 */
function parsed(
  text: string,
  type: string,
): { ok: true; value: unknown } | { ok: false; beyond?: string } {
  if (type === "application/x-www-form-urlencoded") {
    const value: Record<string, string | string[]> = {};
    for (const [name, field] of new URLSearchParams(text)) {
      const seen = value[name];
      value[name] = seen === undefined ? field : [...(Array.isArray(seen) ? seen : [seen]), field];
    }
    return { ok: true, value };
  }
  const reading = readBoundedJson(text);
  if (reading.isJson) return { ok: true, value: reading.json };
  return reading.beyond ? { ok: false, beyond: reading.beyond } : { ok: false };
}

const body: RequestValidator = {
  id: "request.body",
  profile: "core",
  title: "Every body matches the spec's schema",
  requirement:
    "A request carries the body its operation requires, valid against the spec's schema for its media type.",
  source:
    '"A token is obtained using the POST method" (API endpoint); "The body of the request is formatted as a connection object." (Create a new Connection); "All object parameters must be included, not only those which have changed." (Updating a Connection); spec requestBody (the reading of the profile)',
  validate(exchange, context) {
    const op = exchange.operation;
    const documented = op?.requestBody;
    if (!op || !documented) return undefined;
    if (bodyBytes(exchange, context) === 0) {
      if (!documented.required) return undefined;
      return {
        requirement: `${target(exchange)} carries a body (${documented.mediaTypes.join(" or ")}).`,
        observed: "The client sent no body.",
        key: `${op.id} none`,
      };
    }
    const type = mediaType(exchange);
    // A body in an undocumented media type is request.media-type's finding; one not kept, nobody's.
    if (!type || exchange.requestBody === undefined) return undefined;
    const requirement = `${target(exchange)} sends a body valid against the spec's ${type.mediaType} schema.`;
    const value = parsed(exchange.requestBody, type.mediaType);
    if (!value.ok) {
      return {
        requirement,
        observed: value.beyond
          ? `The client sent ${value.beyond}.`
          : `The client sent a body that is not ${type.mediaType}.`,
        key: `${op.id} ${type.mediaType} ${value.beyond ? "unread" : "unparsable"}`,
      };
    }
    const problems = specValidator(context.profile).problems(type.schemaRef, value.value);
    if (problems.length === 0) return undefined;
    const shown =
      problems.slice(0, 3).join("; ") +
      (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
    return {
      requirement,
      observed: `The client sent a body that breaks the schema: ${shown}.`,
      key: `${op.id} ${type.mediaType} ${problems[0]}`,
    };
  },
};

const parameters: RequestValidator = {
  id: "request.parameters",
  profile: "core",
  title: "Every parameter matches the spec",
  requirement:
    "The path parameters and the query parameters an operation declares are valid against their schemas, each query parameter given at most once.",
  source:
    '"GET https://YOUR_NAMESPACE/api/connections/{connection}/users" (Users) and the connection name in every path; spec parameters',
  validate(exchange, context) {
    const op = exchange.operation;
    if (!op) return undefined;
    const validator = specValidator(context.profile);
    const problems: string[] = [];
    const params = op.match(exchange.path) ?? {};
    for (const param of op.parameters.filter((p) => p.in === "path")) {
      const value = params[param.name];
      if (value === undefined) continue;
      problems.push(...validator.problems(param.schemaRef, value, { root: param.name }));
    }
    const query: Record<string, unknown> = {};
    for (const [name, value] of new URL(exchange.url).searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const verdict = validator.checkQuery(op, query);
    if (!verdict.ok) problems.push(...verdict.problems);
    if (problems.length === 0) return undefined;
    return {
      requirement: `${target(exchange)} is sent with parameters valid against the spec.`,
      observed: `The client sent parameters that break the spec: ${problems.slice(0, 3).join("; ")}.`,
      key: `${op.id} ${problems[0]}`,
    };
  },
};

/** Every request validator. */
export const requestValidators: readonly RequestValidator[] = [operation, media, body, parameters];

/** What the request validators find in one exchange. */
export function validateRequest(
  exchange: Exchange,
  context: RequestContext,
  validators: readonly RequestValidator[] = requestValidators,
): ValidationFailure[] {
  const failures: ValidationFailure[] = [];
  for (const validator of validators) {
    const found = validator.validate(exchange, context);
    if (found) failures.push({ type: validator.id, ...found });
  }
  return failures;
}

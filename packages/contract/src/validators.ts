import { isDeepStrictEqual } from "node:util";
import { createSpecValidator, type SpecValidator } from "@mgmtkit/spec/model";
import { describeAnswer, type Exchange, headerValue, isJsonContentType } from "./exchange.js";
import { inProfile, point } from "./open-points.js";
import { containsSecret, MIN_TOKEN_LENGTH } from "./redact.js";
import type { CheckInfo, Profile } from "./types.js";

/**
 * Response validators: plain functions applied to every answer of every check, as Schemathesis
 * applies its checks to every response. Each judges one exchange on its own, whoever sent it, so
 * a validating proxy or a generated-case phase can apply the same ones to exchanges they made.
 */

/** One problem a validator found in one exchange. */
export interface ValidationFailure {
  /** The id of the validator that found it: stable, for tools that sort failures. */
  type: string;
  /** What the document (or the spec) requires. */
  requirement: string;
  /** What the server did. */
  observed: string;
  /**
   * Answers that break a rule the same way share this key, so a report can show one of them
   * and count the rest.
   */
  key: string;
}

/** What a validator knows beyond the exchange itself. */
export interface ValidationContext {
  /** Secrets no answer may contain: the client secret and every access token of the run. */
  secrets: readonly string[];
  /**
   * The bodies the run sent to the connection of this name (creates and replaces), none when
   * the connection is not the run's. Default: no connection is the run's.
   */
  sentConnection?: (name: string) => readonly Record<string, unknown>[];
}

export interface ResponseValidator extends CheckInfo {
  /** The problem with one answer, or undefined. Exchanges without a status are never passed. */
  validate(
    exchange: Exchange,
    context: ValidationContext,
  ): Omit<ValidationFailure, "type"> | undefined;
}

const where = (exchange: Exchange) =>
  `${exchange.method} ${exchange.operation?.path ?? exchange.path}`;

const serverError: ResponseValidator = {
  id: "response.server-error",
  profile: "core",
  title: "Never a 5xx",
  requirement:
    "No answer is a 5xx: whatever a request holds, the server answers it (with a 4xx when it is wrong) and does not fail.",
  source: "RFC 9110 section 15.6 (5xx: the server failed to fulfil an apparently valid request)",
  validate(exchange) {
    if ((exchange.status ?? 0) < 500) return undefined;
    return {
      requirement: `${where(exchange)} is answered without a server error.`,
      observed: `The server ${describeAnswer(exchange)}.`,
      key: `${exchange.operation?.id ?? exchange.path} ${exchange.status}`,
    };
  },
};

const documentedStatus: ResponseValidator = {
  id: "response.documented-status",
  profile: "core",
  title: "Every status is documented, or a refusal",
  requirement:
    "Every answer's status is one the spec documents for its operation, or a 4xx refusing the request; whether the request deserved a refusal is the sending check's judgement.",
  source:
    "spec paths.*.responses (the document itself names no status; any 4xx is accepted as a refusal)",
  validate(exchange) {
    const op = exchange.operation;
    const status = exchange.status ?? 0;
    if (!op || exchange.documented || (status >= 400 && status < 500) || status >= 500)
      return undefined;
    return {
      requirement: `${op.method} ${op.path} answers a status the spec documents for it (${[...op.responses.keys()].join(", ")}) or a 4xx refusal.`,
      observed: `The server ${describeAnswer(exchange)}.`,
      key: `${op.id} ${status}`,
    };
  },
};

const documentedRefusal: ResponseValidator = {
  id: "response.documented-refusal",
  profile: "strict",
  title: "Every refusal is a documented 4xx",
  requirement: "Every 4xx answer is one the spec documents for its operation.",
  source: "spec paths.*.responses",
  validate(exchange) {
    const op = exchange.operation;
    const status = exchange.status ?? 0;
    if (!op || exchange.documented || status < 400 || status >= 500) return undefined;
    return {
      requirement: `${op.method} ${op.path} refuses a request only with a status the spec documents for it (${[...op.responses.keys()].filter((k) => k.startsWith("4")).join(", ")}).`,
      observed: `The server ${describeAnswer(exchange)}.`,
      key: `${op.id} ${status}`,
    };
  },
};

const jsonContentType: ResponseValidator = {
  id: "response.json-content-type",
  profile: "core",
  title: "Every answer is served as JSON",
  requirement:
    "Every answer that has a body, errors included, is served with a JSON Content-Type (application/json).",
  source: '"All content is returned in JSON." (API endpoint)',
  validate(exchange) {
    if (exchange.bytes === 0 || isJsonContentType(exchange.contentType)) return undefined;
    return {
      requirement: `Every answer is JSON with Content-Type application/json, errors included — "All content is returned in JSON." (API endpoint); here ${where(exchange)} answering ${exchange.status}.`,
      observed: `The server answered ${exchange.status} with Content-Type ${exchange.contentType ?? "(none)"}.`,
      key: `${exchange.operation?.id ?? exchange.path} ${exchange.status} ${exchange.contentType}`,
    };
  },
};

const singleContentType: ResponseValidator = {
  id: "response.single-content-type",
  profile: "core",
  title: "One Content-Type per answer",
  requirement:
    "No answer carries the Content-Type field twice: it is a singleton field, and two of them leave the answer's media type undecided.",
  source:
    "RFC 9110 sections 5.3 and 8.3 (no repeated field lines unless the field is a list; Content-Type is not)",
  validate(exchange) {
    const raw = exchange.rawHeaders ?? [];
    const values = raw.filter(
      (_, i) => i % 2 === 1 && raw[i - 1]?.toLowerCase() === "content-type",
    );
    if (values.length < 2) return undefined;
    return {
      requirement: `${where(exchange)} answers with one Content-Type field.`,
      observed: `The server answered ${exchange.status} with ${values.length} Content-Type fields: ${values.map((v) => JSON.stringify(v)).join(", ")}.`,
      key: `${exchange.operation?.id ?? exchange.path} ${values.length}`,
    };
  },
};

const specValidators: Partial<Record<Profile, SpecValidator>> = {};

/**
 * The spec's schemas as `profile` reads them: `core` as written (what the document requires),
 * `strict` with the spec's own stricter choices (`x-strict`) applied. Made on first use.
 */
export function specValidator(profile: Profile): SpecValidator {
  let validator = specValidators[profile];
  if (!validator) {
    validator = createSpecValidator({ profile });
    specValidators[profile] = validator;
  }
  return validator;
}

const CONNECTION_ANSWERS = new Set([
  "listConnections",
  "getConnection",
  "createConnection",
  "updateConnection",
]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The answer's body as the schema judges it by one reading. Where the reading judges this run's
 * connections by what it sent (open point create.option-values), each option a connection of the
 * run shows exactly as one of its bodies sent it is that judgement's, not the schema's: a server
 * may store options as sent. Every other connection, another run's or a person's, is the
 * schema's whole.
 */
function judgedBody(exchange: Exchange, context: ValidationContext, profile: Profile): unknown {
  const json = exchange.json;
  const sentTo = context.sentConnection;
  const reading = point("create.option-values").under(profile).runConnections;
  if (!sentTo || reading === "schema" || !CONNECTION_ANSWERS.has(exchange.operation?.id ?? ""))
    return json;
  const judged = (item: unknown): unknown => {
    if (!isObject(item) || typeof item.name !== "string" || !isObject(item.options)) return item;
    const sent = sentTo(item.name)
      .map((body) => body.options)
      .filter(isObject);
    if (sent.length === 0) return item;
    const options = Object.fromEntries(
      Object.entries(item.options).filter(
        ([key, value]) =>
          !sent.some(
            (options) => Object.hasOwn(options, key) && isDeepStrictEqual(options[key], value),
          ),
      ),
    );
    return { ...item, options };
  };
  return Array.isArray(json) ? json.map(judged) : judged(json);
}

/**
 * What is wrong with an answer's body by one reading of the spec, or undefined; "unread" when the
 * body goes beyond what the suite parses (a finding: no schema can be checked on it).
 */
function bodyProblems(
  exchange: Exchange,
  context: ValidationContext,
  profile: Profile,
): string[] | "not JSON" | "unread" | undefined {
  const ref = exchange.operation?.responseFor(exchange.status ?? 0)?.json?.schemaRef;
  if (!ref || exchange.text === undefined) return undefined;
  if (exchange.unread) return "unread";
  if (!exchange.isJson) return "not JSON";
  return specValidator(profile).problems(ref, judgedBody(exchange, context, profile));
}

function schemaFailure(
  exchange: Exchange,
  problems: string[] | "not JSON" | "unread",
  reading: string,
): Omit<ValidationFailure, "type"> {
  const op = exchange.operation;
  const where = `${op?.method} ${op?.path}`;
  const requirement = `${where} answering ${exchange.status} has a body valid against ${reading} ${exchange.documented} response schema.`;
  if (problems === "unread") {
    return {
      requirement,
      observed: `The server ${describeAnswer(exchange)}, so the suite cannot check it against the schema.`,
      key: `${op?.id} ${exchange.status} unread`,
    };
  }
  if (problems === "not JSON") {
    return {
      requirement,
      observed: `The server ${describeAnswer(exchange)}, which is not JSON.`,
      key: `${op?.id} ${exchange.status} not-json`,
    };
  }
  const shown =
    problems.slice(0, 3).join("; ") +
    (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
  return {
    requirement,
    observed: `The server answered ${exchange.status} with a body that breaks the schema: ${shown}.`,
    // Array positions differ between answers that break the rule the same way.
    key: `${op?.id} ${exchange.status} ${problems[0]?.replace(/\[\d+\]/g, "[]")}`,
  };
}

/** An error answer without a body has no content to be JSON, where open point errors.body allows one. */
const bodilessError = (exchange: Exchange, profile: Profile) =>
  exchange.bytes === 0 &&
  (exchange.status ?? 0) >= 400 &&
  point("errors.body").under(profile).bodiless;

const schema: ResponseValidator = {
  id: "response.schema",
  profile: "core",
  title: "Every body matches the spec's schema for its status",
  requirement:
    "Every answer of a documented status that has a body carries JSON valid against the spec's response schema for that status, as the spec writes it: what the document requires, its open points left open.",
  source:
    '"The response body of this POST is a JSON object" (API endpoint); "The body of the response is a connection object formatted as follows" (List all Connections); "the response body will contain a confirmation object" (Delete a connection); "the response body will contain a complete connection object" (Create a new Connection); The User Object; RFC 6749 section 5.2; spec paths.*.responses (core reading)',
  validate(exchange, context) {
    if (bodilessError(exchange, "core")) return undefined;
    const problems = bodyProblems(exchange, context, "core");
    if (!problems || problems.length === 0) return undefined;
    return schemaFailure(exchange, problems, "the spec's");
  },
};

const schemaStrict: ResponseValidator = {
  id: "response.schema-strict",
  profile: "strict",
  title: "Every body matches the spec's own stricter choices",
  requirement:
    "Every answer of a documented status carries the body the spec's strict reading (x-strict) documents: ids everywhere and as strings, names of the spec's syntax, the JSON error object on every error, 401 for invalid_client.",
  source:
    "spec paths.*.responses with x-strict applied (the spec's choices where the document is open)",
  validate(exchange, context) {
    const strict = bodyProblems(exchange, context, "strict");
    if (!strict || strict.length === 0) return undefined;
    // A body beyond the suite's limits is response.schema's finding.
    if (strict === "unread") return undefined;
    // A body that is not JSON is response.schema's finding, but for an error without a body.
    if (strict === "not JSON") {
      return bodilessError(exchange, "core") && !bodilessError(exchange, "strict")
        ? schemaFailure(exchange, strict, "the spec's strict")
        : undefined;
    }
    // What the core reading already reported is not said twice.
    const core = bodilessError(exchange, "core")
      ? undefined
      : bodyProblems(exchange, context, "core");
    const seen = new Set(Array.isArray(core) ? core : []);
    const beyond = strict.filter((problem) => !seen.has(problem));
    return beyond.length > 0 ? schemaFailure(exchange, beyond, "the spec's strict") : undefined;
  },
};

/** How much of an answer is searched for a secret in every encoding (the rest in plain ones). */
const ECHO_SCAN_BYTES = 1024 * 1024;

const noSecretEcho: ResponseValidator = {
  id: "response.no-secret-echo",
  profile: "core",
  title: "No answer echoes a secret",
  requirement:
    "No answer carries the client secret or an access token, in its body or its headers; only the token endpoint's answer carries the token it issues, of at least 8 characters (a shorter one cannot be told from the text around it, nor kept out of a report).",
  source:
    '"Each API request must include an access token" and "client_secret=YOUR_CLIENT_SECRET" (API endpoint): the token and the client secret are credentials; RFC 6749 section 10.3; RFC 6749 section 10.10 (a token must not be guessable: a probability of at most 2^-128)',
  validate(exchange, { secrets }) {
    const issued =
      exchange.operation?.id === "getAccessToken" && exchange.status === 200
        ? (exchange.json as { access_token?: unknown } | undefined)?.access_token
        : undefined;
    if (typeof issued === "string" && issued.length < MIN_TOKEN_LENGTH) {
      const n = [...issued].length;
      return {
        requirement: `${where(exchange)} issues an access token of at least ${MIN_TOKEN_LENGTH} characters.`,
        observed: `The server issued an access token of ${n} character${n === 1 ? "" : "s"}.`,
        key: `${exchange.operation?.id} short token`,
      };
    }
    const headers = Object.entries(exchange.headers)
      // A next-page link may repeat the request's own query, token included.
      .filter(([name]) => name !== "link")
      .map(([name, value]) => `${name}: ${headerValue(value)}`)
      .join("\n");
    let body = exchange.text ?? "";
    if (typeof issued === "string" && issued) {
      body = JSON.stringify({ ...(exchange.json as object), access_token: undefined });
    }
    // Whatever encoding the server chose (`\/`, `\uXXXX`, `%2f`…), an echo is an echo. Every
    // encoding is looked for in the first MiB; past it (where no excerpt of a report reaches),
    // the plain ones, so that a large answer full of escapes costs no more than a large answer.
    const echoed = (text: string) =>
      containsSecret(text.slice(0, ECHO_SCAN_BYTES), secrets) ||
      (text.length > ECHO_SCAN_BYTES &&
        secrets.some(
          (secret) =>
            secret.length > 0 &&
            [
              secret,
              encodeURIComponent(secret),
              new URLSearchParams({ v: secret }).toString().slice(2),
            ].some((form) => text.includes(form)),
        ));
    const place = echoed(body) ? "body" : echoed(headers) ? "headers" : undefined;
    if (place) {
      return {
        requirement: `${where(exchange)} answers without echoing a credential of the request.`,
        observed: `The server answered ${exchange.status} with a credential of the run in its ${place}.`,
        key: `${exchange.operation?.id ?? exchange.path} ${place}`,
      };
    }
    return undefined;
  },
};

/** Every response validator, core first. */
export const responseValidators: readonly ResponseValidator[] = [
  serverError,
  documentedStatus,
  jsonContentType,
  singleContentType,
  schema,
  noSecretEcho,
  documentedRefusal,
  schemaStrict,
];

/**
 * What the validators find in one exchange: those of `profile` (`strict` includes `core`), or
 * the ones given. An exchange without a status (nothing usable arrived) has nothing to judge.
 */
export function validateExchange(
  exchange: Exchange,
  context: ValidationContext,
  validators: readonly ResponseValidator[] | Profile = "core",
): ValidationFailure[] {
  if (exchange.status === undefined) return [];
  const selected =
    typeof validators === "string"
      ? responseValidators.filter((v) => inProfile(validators, v.profile))
      : validators;
  const failures: ValidationFailure[] = [];
  for (const validator of selected) {
    const found = validator.validate(exchange, context);
    if (found) failures.push({ type: validator.id, ...found });
  }
  return failures;
}

import { describeAnswer, type Exchange, headerValue, isJsonContentType } from "./exchange.js";
import { schemaProblems } from "./spec-model.js";
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
      key: `${exchange.operation?.operationId ?? exchange.path} ${exchange.status}`,
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
      key: `${op.operationId} ${status}`,
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
      key: `${op.operationId} ${status}`,
    };
  },
};

const jsonContentType: ResponseValidator = {
  id: "response.json-content-type",
  profile: "core",
  title: "Every answer is served as JSON",
  requirement:
    "Every answer that has a body, errors included, is served with a JSON Content-Type (application/json).",
  source: 'line 27 ("All content is returned in JSON")',
  validate(exchange) {
    if (exchange.bytes === 0 || isJsonContentType(exchange.contentType)) return undefined;
    return {
      requirement: `Every answer is JSON with Content-Type application/json, errors included (line 27); here ${where(exchange)} answering ${exchange.status}.`,
      observed: `The server answered ${exchange.status} with Content-Type ${exchange.contentType ?? "(none)"}.`,
      key: `${exchange.operation?.operationId ?? exchange.path} ${exchange.status} ${exchange.contentType}`,
    };
  },
};

/**
 * The answers whose body the document describes: the token (lines 18-20; its errors are RFC 6749
 * section 5.2), the connection objects of lines 47-57 and 148, the confirmation of line 132 and
 * the user objects of lines 160-170. Every other body (a PUT's answer, an error of /api) is the
 * spec's choice (open points put.answer, errors.body).
 */
const DESCRIBED: Record<string, readonly string[]> = {
  getAccessToken: ["200", "400", "401"],
  listConnections: ["200"],
  createConnection: ["200", "201"],
  getConnection: ["200"],
  deleteConnection: ["200"],
  listUsers: ["200"],
  listConnectionUsers: ["200"],
  listSocialConnectionUsers: ["200"],
};

/**
 * What the spec's response schemas say that the document leaves open: core waives these
 * problems, strict reports them (open points connection.names, connection.id-shown,
 * delete.removed).
 */
const CORE_WAIVERS: ReadonlyArray<{ operations?: readonly string[]; problem: RegExp }> = [
  { problem: /(^|[.\]])name: must (NOT have more than \d+ characters|match pattern)/ },
  {
    operations: ["listConnections", "getConnection"],
    problem: /^(body|\[\d+\]): must have required property 'id'$/,
  },
  { problem: /(^|[.\]])(id|removed): must be string$/ },
];

const waived = (operationId: string, problem: string) =>
  CORE_WAIVERS.some(
    (waiver) =>
      (!waiver.operations || waiver.operations.includes(operationId)) &&
      waiver.problem.test(problem),
  );

const described = (operationId: string, documented: string) =>
  DESCRIBED[operationId]?.includes(documented) ?? false;

function schemaValidator(options: {
  id: string;
  profile: Profile;
  title: string;
  requirement: string;
  source: string;
  /** The problems with this documented response's body that the validator reports. */
  reports(operationId: string, documented: string, problem: string): boolean;
  /** Whether an error answer may come without a body. */
  emptyErrors: boolean;
}): ResponseValidator {
  const { reports, emptyErrors, ...info } = options;
  return {
    ...info,
    validate(exchange) {
      const op = exchange.operation;
      const key = exchange.documented;
      const ref = op && key ? op.responses.get(key) : undefined;
      if (!op || !key || !ref || exchange.text === undefined) return undefined;
      const requirement = `${op.method} ${op.path} answering ${exchange.status} has a body valid against the spec's ${key} response schema.`;
      if (!exchange.isJson) {
        // An error answer without a body has nothing to judge (open point errors.body).
        if (emptyErrors && exchange.bytes === 0 && (exchange.status ?? 0) >= 400) return undefined;
        if (!reports(op.operationId, key, "not JSON")) return undefined;
        return {
          requirement,
          observed: `The server ${describeAnswer(exchange)}, which is not JSON.`,
          key: `${op.operationId} ${exchange.status} not-json`,
        };
      }
      const problems = schemaProblems({ $ref: ref }, exchange.json).filter((problem) =>
        reports(op.operationId, key, problem),
      );
      if (problems.length === 0) return undefined;
      const shown =
        problems.slice(0, 3).join("; ") +
        (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
      return {
        requirement,
        observed: `The server answered ${exchange.status} with a body that breaks the schema: ${shown}.`,
        // Array positions differ between answers that break the rule the same way.
        key: `${op.operationId} ${exchange.status} ${problems[0]?.replace(/\[\d+\]/g, "[]")}`,
      };
    },
  };
}

const schema = schemaValidator({
  id: "response.schema",
  profile: "core",
  title: "Every body the document describes matches the spec's schema",
  requirement:
    "Every answer whose body the document describes (the token and its RFC 6749 errors, connection objects, the delete confirmation, user objects) is JSON valid against the spec's schema for its status, but for what the document leaves open: the syntax of names, an id outside the create answer, the type of ids.",
  source: "lines 18-20, 47-57, 132, 148, 160-170; RFC 6749 section 5.2; spec paths.*.responses",
  reports: (operationId, documented, problem) =>
    described(operationId, documented) && !waived(operationId, problem),
  emptyErrors: true,
});

const schemaAll = schemaValidator({
  id: "response.schema-all",
  profile: "strict",
  title: "Every body matches the spec's schema, to the letter",
  requirement:
    "Every answer of a documented status carries the body the spec documents for it: a PUT's answer and every error of /api included, and what response.schema leaves open held to the spec's choice.",
  source: "spec paths.*.responses (quirk 13: the JSON error object); the document describes none",
  reports: (operationId, documented, problem) =>
    !described(operationId, documented) || waived(operationId, problem),
  emptyErrors: false,
});

const noSecretEcho: ResponseValidator = {
  id: "response.no-secret-echo",
  profile: "core",
  title: "No answer echoes a secret",
  requirement:
    "No answer carries the client secret or an access token, in its body or its headers; only the token endpoint's answer carries the token it issues.",
  source: "lines 7-16 (the token and the client secret are credentials); RFC 6749 section 10.3",
  validate(exchange, { secrets }) {
    const issued =
      exchange.operation?.operationId === "getAccessToken" && exchange.status === 200
        ? (exchange.json as { access_token?: unknown } | undefined)?.access_token
        : undefined;
    const headers = Object.entries(exchange.headers)
      // A next-page link may repeat the request's own query, token included.
      .filter(([name]) => name !== "link")
      .map(([name, value]) => `${name}: ${headerValue(value)}`)
      .join("\n");
    let body = exchange.text ?? "";
    if (typeof issued === "string" && issued) {
      body = JSON.stringify({ ...(exchange.json as object), access_token: undefined });
    }
    for (const secret of secrets) {
      if (!secret) continue;
      const forms = [
        secret,
        encodeURIComponent(secret),
        new URLSearchParams({ v: secret }).toString().slice(2),
      ];
      const place = forms.some((form) => body.includes(form))
        ? "body"
        : forms.some((form) => headers.includes(form))
          ? "headers"
          : undefined;
      if (place) {
        return {
          requirement: `${where(exchange)} answers without echoing a credential of the request.`,
          observed: `The server answered ${exchange.status} with a credential of the run in its ${place}.`,
          key: `${exchange.operation?.operationId ?? exchange.path} ${place}`,
        };
      }
    }
    return undefined;
  },
};

/** Every response validator, core first. */
export const responseValidators: readonly ResponseValidator[] = [
  serverError,
  documentedStatus,
  jsonContentType,
  schema,
  noSecretEcho,
  documentedRefusal,
  schemaAll,
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
      ? responseValidators.filter((v) => validators === "strict" || v.profile === "core")
      : validators;
  const failures: ValidationFailure[] = [];
  for (const validator of selected) {
    const found = validator.validate(exchange, context);
    if (found) failures.push({ type: validator.id, ...found });
  }
  return failures;
}

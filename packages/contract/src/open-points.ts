import type { Profile } from "./types.js";

/**
 * The points where the reference document is silent or ambiguous and a check has to take a
 * side. At each, `core` accepts every reasonable reading; `strict` holds the server to the
 * spec's own choice. Each point holds both readings as data, and every check, validator and
 * generated family whose verdict depends on a point asks it (`point(id).under(profile)`): this
 * module is the only one that tells the profiles apart (a test scans the sources for it). The
 * e2e package runs a lenient server per point (and per stricter reading), each of which must
 * pass core.
 */

/** How a server may answer a request a point concerns. */
export interface RequestReading {
  /** `accept`: the server takes the request; `refuse`: it refuses it; `either`: both conform. */
  answer: "accept" | "refuse" | "either";
  /** The statuses a refusal may have (`"4xx"` for any). Default: any 4xx. */
  refusals?: ReadonlyArray<number | "4xx">;
  /** The RFC 6749 error a refusal's JSON body names, where the reading fixes one. */
  error?: string;
  /**
   * Whether the server, when it takes the request, must show exactly what was sent (the
   * connection's name, status, strategy and options, client_secret following its own point).
   */
  showsAsSent?: boolean;
}

/** What the document leaves open at one point, and the two readings of it. */
export interface OpenPoint<R = unknown> {
  /** Stable identifier, `<topic>.<point>`. */
  id: string;
  /**
   * `request` when the point decides what a server does with a request; the spec marks the
   * places of the requests it concerns (`x-open-point`). `response` when it decides what an
   * answer may hold; the spec carries the strict reading as `x-strict`.
   */
  side: "request" | "response";
  /** What the document leaves open, and where. */
  question: string;
  /** What core accepts. */
  core: string;
  /** What strict requires: the spec's choice. */
  strict: string;
  /** The checks and validators whose verdict depends on the point. */
  checks: readonly string[];
  /** The two readings as data: what the checks of each profile accept. */
  readings: Readonly<Record<Profile, R>>;
  /** The reading of one profile. */
  under(profile: Profile): R;
}

type Definition<R> = Omit<OpenPoint<R>, "id" | "under">;

function define<R>(id: string, definition: Definition<R>): OpenPoint<R> {
  return { id, ...definition, under: (profile) => definition.readings[profile] };
}

const either: RequestReading = { answer: "either" };

const registry = {
  "token.error-status": define<{ refusals: readonly number[] }>("token.error-status", {
    side: "response",
    question:
      "The document says nothing of failed token requests. RFC 6749 section 5.2 answers invalid_client with 400, or 401 when the client authenticated through the Authorization header.",
    core: "400 or 401, with a JSON body whose error is invalid_client.",
    strict: "401 invalid_client (spec quirk 18, x-strict).",
    checks: [
      "token.wrong-secret",
      "token.unknown-client",
      "token.credential-parts",
      "token.spec-errors",
      "generated.get-access-token",
    ],
    readings: { core: { refusals: [400, 401] }, strict: { refusals: [401] } },
  }),
  "token.other-grant": define<RequestReading>("token.other-grant", {
    side: "request",
    question:
      '"A token is obtained using the POST method" (API endpoint) shows grant_type=client_credentials and no other grant.',
    core: "Any other grant is refused with 400 or 401 and an RFC 6749 error; never a token.",
    strict: "400 unsupported_grant_type (spec getAccessToken).",
    checks: ["token.unsupported-grant", "token.spec-errors", "generated.get-access-token"],
    readings: {
      core: { answer: "refuse", refusals: [400, 401] },
      strict: { answer: "refuse", refusals: [400], error: "unsupported_grant_type" },
    },
  }),
  "token.repeated-parameters": define<RequestReading>("token.repeated-parameters", {
    side: "request",
    question:
      "RFC 6749 section 3.1 forbids a client to send a parameter twice; the document does not say what a server does with a token request that does, and most form parsers take one of the values.",
    core: "Refused with 400 or 401, or answered as if one of the values had been sent alone (a token when that value is right).",
    strict: "400 invalid_request (spec OAuthBadRequest).",
    checks: ["generated.get-access-token"],
    readings: {
      core: { answer: "either", refusals: [400, 401] },
      strict: { answer: "refuse", refusals: [400], error: "invalid_request" },
    },
  }),
  "token.request-variants": define<{
    extraParameters: RequestReading;
    otherType: RequestReading;
    jsonBody: RequestReading;
  }>("token.request-variants", {
    side: "request",
    question:
      '"A token is obtained using the POST method" (API endpoint) shows one form body with type=web_server; the document says nothing of parameters it does not list, of another type, or of the same parameters as JSON.',
    core: "Each is accepted or refused with a 4xx.",
    strict:
      "Unknown parameters are ignored (RFC 6749 section 3.2), a type other than web_server is refused with 400, and a JSON body is accepted (spec getAccessToken).",
    checks: ["token.json-body", "generated.get-access-token"],
    readings: {
      core: { extraParameters: either, otherType: either, jsonBody: either },
      strict: {
        extraParameters: { answer: "accept" },
        otherType: { answer: "refuse", refusals: [400] },
        jsonBody: { answer: "accept" },
      },
    },
  }),
  "errors.body": define<{ bodiless: boolean }>("errors.body", {
    side: "response",
    question:
      '"All content is returned in JSON." (API endpoint); the document shows no error answer at all.',
    core: "An error answer has no body, or a JSON object of any shape (spec Error).",
    strict: "The JSON error object, statusCode, error and message (spec quirk 13, x-strict).",
    checks: [
      "auth.missing-token",
      "auth.garbage-token",
      "response.schema",
      "response.schema-strict",
    ],
    readings: { core: { bodiless: true }, strict: { bodiless: false } },
  }),
  "errors.refusal-status": define<{ documentedOnly: boolean }>("errors.refusal-status", {
    side: "response",
    question:
      "The document names no status for a refused request (a duplicate name, a partial PUT, a wrong body, a malformed Authorization header).",
    core: "Any 4xx refuses.",
    strict:
      "The statuses the spec documents: 400 for a bad body or a partial PUT, 401 without a valid token, 409 for a duplicate name, 404 for what does not exist, 415 for another media type.",
    checks: [
      "lifecycle.*",
      "negative.missing-fields",
      "generated.update-connection",
      "response.documented-refusal",
      "lifecycle.spec-statuses",
      "generated.create-connection",
    ],
    readings: { core: { documentedOnly: false }, strict: { documentedOnly: true } },
  }),
  "create.success-status": define<{ statuses: readonly number[] }>("create.success-status", {
    side: "response",
    question:
      '"If successful, the response body will contain a complete connection object." (Create a new Connection) says only "if successful" of a create.',
    core: "200 or 201.",
    strict: "200 or 201 (spec quirk 8).",
    checks: ["lifecycle.*", "response.documented-status"],
    readings: { core: { statuses: [200, 201] }, strict: { statuses: [200, 201] } },
  }),
  "create.status-omitted": define<
    RequestReading & { statuses: readonly number[]; suiteMayOmit: boolean }
  >("create.status-omitted", {
    side: "request",
    question:
      '"the following will create a new connection to Google Apps, initially inactive" (Create a new Connection), with status 0; nothing says a create must carry status, and the era\'s own client sent none.',
    core: "A create without status is refused with a 4xx, or created with status 0 or 1.",
    strict: "Accepted, with status 1 (spec quirk 16).",
    checks: [
      "negative.missing-fields",
      "connections.liberal-create",
      "generated.create-connection",
    ],
    readings: {
      core: { answer: "either", statuses: [0, 1], suiteMayOmit: false },
      strict: { answer: "accept", statuses: [1], suiteMayOmit: true },
    },
  }),
  "create.options-omitted": define<RequestReading & { suiteMayOmit: boolean }>(
    "create.options-omitted",
    {
      side: "request",
      question: "Nothing says a create must carry options.",
      core: "A create without options is refused with a 4xx, or created with an options object.",
      strict: "Accepted, with options {} (spec quirk 16).",
      checks: ["negative.missing-fields", "generated.create-connection"],
      readings: {
        core: { answer: "either", suiteMayOmit: false },
        strict: { answer: "accept", suiteMayOmit: true },
      },
    },
  ),
  "create.option-keys": define<{ suiteSendsExampleKeys: boolean }>("create.option-keys", {
    side: "request",
    question: `The example create marks only ext_groups "//Optional" (Create a new Connection); that makes no other option key required, and "tenant_domain: ''" (Google Apps Strategy) shows tenant_domain empty.`,
    core: "The suite sends the complete example bodies of the spec, so a server may require every key they hold or none.",
    strict:
      "No option key is required (spec quirk 10): the era's body with only options.tenant_domain is accepted.",
    checks: ["lifecycle.*", "connections.liberal-create", "generated.create-connection"],
    readings: {
      core: { suiteSendsExampleKeys: true },
      strict: { suiteSendsExampleKeys: false },
    },
  }),
  "create.option-values": define<{
    otherType: RequestReading;
    nullValue: RequestReading;
    oddStrings: RequestReading;
    /** The strings the suite puts in options of its valid requests. */
    suiteText: "plain" | "any";
    /**
     * How the options of a connection this run sent are judged in every answer that shows it:
     * `as-sent`, an option shown exactly as the run sent it is not held to the schema again;
     * `schema`, every option is.
     */
    runConnections: "as-sent" | "schema";
  }>("create.option-values", {
    side: "request",
    question:
      '"The options object returned in the connection will be different for each strategy and will typically contain the same information that was entered on the connections screen." (List all Connections); the document types no option and never says a server refuses a value of another type, null, or a string of odd characters, as a server storing options as sent (the era\'s, on a document store) would not.',
    core: "A documented option of another type, null, or a string with astral, zero-width, control or thousands of characters is refused with a 4xx, or stored; a connection that stores it shows exactly what was sent.",
    strict:
      "Another type and null are refused (spec option schemas); any string is accepted and shown as sent (spec quirk 10).",
    checks: [
      "generated.create-connection",
      "generated.update-connection",
      "response.schema",
      "response.schema-strict",
      "stateful.connections",
    ],
    readings: {
      core: {
        otherType: { answer: "either", showsAsSent: true },
        nullValue: { answer: "either", showsAsSent: true },
        oddStrings: { answer: "either", showsAsSent: true },
        suiteText: "plain",
        runConnections: "as-sent",
      },
      strict: {
        otherType: { answer: "refuse" },
        nullValue: { answer: "refuse" },
        oddStrings: { answer: "accept", showsAsSent: true },
        suiteText: "any",
        runConnections: "schema",
      },
    },
  }),
  "create.loose-values": define<RequestReading>("create.loose-values", {
    side: "request",
    question:
      '"status Defines whether the connection is active 1 or not 0." and "options An object with properties that are dependent on the strategy selected." (List all Connections); the document does not say whether a server may read status true, false or null, or options null or an array, loosely.',
    core: "Refused with a 4xx, or taken for 1, 0, the default or no options.",
    strict: "Refused (spec ConnectionCreate, ConnectionReplacement).",
    checks: ["connections.odd-inputs", "generated.create-connection"],
    readings: { core: either, strict: { answer: "refuse" } },
  }),
  "request.media-type": define<RequestReading>("request.media-type", {
    side: "request",
    question:
      '"POST https://YOUR_NAMESPACE/connections Content-Type: application/json" (Create a new Connection); the document does not say what a server does with the same JSON under another Content-Type or none.',
    core: "Accepted, or refused with a 4xx.",
    strict: "Refused with 415 (spec createConnection).",
    checks: ["generated.create-connection"],
    readings: { core: either, strict: { answer: "refuse", refusals: [415] } },
  }),
  "create.unknown-fields": define<RequestReading>("create.unknown-fields", {
    side: "request",
    question:
      "The document does not say what a server does with a top-level field it does not know.",
    core: "Refused with a 4xx, or ignored; never a 5xx.",
    strict: "Ignored, not stored (spec quirk 16).",
    checks: ["connections.odd-inputs", "connections.liberal-create", "generated.create-connection"],
    readings: { core: either, strict: { answer: "accept" } },
  }),
  "replace.fixed-fields": define<RequestReading>("replace.fixed-fields", {
    side: "request",
    question: `"All object parameters must be included, not only those which have changed." (Updating a Connection) asks for every field in a PUT; it does not say whether the name in the body may differ from the one in the path, or the strategy from the connection's.`,
    core: "Accepted, or refused with a 4xx.",
    strict: "Refused with 400 (spec quirk 15).",
    checks: [
      "connections.put-name-mismatch",
      "connections.put-strategy-fixed",
      "generated.update-connection",
    ],
    readings: { core: either, strict: { answer: "refuse", refusals: [400] } },
  }),
  "replace.answer": define<{ showsAsReplaced: boolean }>("replace.answer", {
    side: "response",
    question: "The document does not say what a PUT answers.",
    core: "Any 200 answer whose body passes the schema; what the connection holds is read back with GET.",
    strict: "The connection as replaced (spec updateConnection).",
    checks: ["lifecycle.put-answer", "stateful.connections"],
    readings: { core: { showsAsReplaced: false }, strict: { showsAsReplaced: true } },
  }),
  "connection.id-shown": define<{ everywhere: boolean }>("connection.id-shown", {
    side: "response",
    question:
      '"This will include additional fields (e.g. the entity id, etc.)." (Create a new Connection); the connection object of "The body of the response is a connection object formatted as follows" (List all Connections) shows none.',
    core: "The create answer carries id; list, get and replace answers may leave it out, and show the same id when they carry one.",
    strict: "id in every connection answer (x-strict).",
    checks: ["lifecycle.*", "document.trailing-slash", "response.schema", "response.schema-strict"],
    readings: { core: { everywhere: false }, strict: { everywhere: true } },
  }),
  "delete.removed": define<{ types: readonly string[] }>("delete.removed", {
    side: "response",
    question:
      'The confirmation object { "removed": {id} } of "If successful, the response body will contain a confirmation object" (Delete a connection) gives no type.',
    core: "removed is the id the create answered, as a string or a number.",
    strict: "A string, as every id (x-strict).",
    checks: ["lifecycle.*", "document.trailing-slash", "response.schema", "response.schema-strict"],
    readings: { core: { types: ["string", "number"] }, strict: { types: ["string"] } },
  }),
  "delete.gone-status": define<{ statuses: readonly number[] }>("delete.gone-status", {
    side: "response",
    question: "The document says a delete is permanent, not what the name answers afterwards.",
    core: "404 or 410.",
    strict: "404 (spec getConnection).",
    checks: ["lifecycle.*", "lifecycle.spec-statuses", "stateful.connections"],
    readings: { core: { statuses: [404, 410] }, strict: { statuses: [404] } },
  }),
  "connection.client-secret": define<{ shown: ReadonlyArray<"as-sent" | "masked" | "absent"> }>(
    "connection.client-secret",
    {
      side: "response",
      question:
        '"will typically contain the same information that was entered on the connections screen" (List all Connections).',
      core: "options.client_secret may be shown as entered, masked or left out; every other option entered comes back as entered.",
      strict: "Shown as entered, where shown (spec quirk 10).",
      checks: ["lifecycle.*", "connections.client-secret-shown", "response.schema"],
      readings: {
        core: { shown: ["as-sent", "masked", "absent"] },
        strict: { shown: ["as-sent", "absent"] },
      },
    },
  ),
  "connection.names": define<RequestReading & { suiteAlphabet: string }>("connection.names", {
    side: "request",
    question:
      'The document fixes no syntax for connection names beyond their use in URLs: "GET https://YOUR_NAMESPACE/api/connections/{connectionName}" (Connection Methods).',
    core: "A server may accept or refuse names with spaces, non-ASCII characters or over 128 characters, never with a 5xx; the suite's own names are plain lower-case words and hyphens.",
    strict: "The spec's ConnectionName (spec quirk 17, x-strict): a server answers no other name.",
    checks: ["connections.odd-inputs", "response.schema-strict", "generated.create-connection"],
    readings: {
      core: { answer: "either", suiteAlphabet: "abcdefghijklmnopqrstuvwxyz0123456789-" },
      strict: {
        answer: "refuse",
        suiteAlphabet: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_.-",
      },
    },
  }),
  "users.unknown-connection": define<{ statuses: readonly number[]; emptyList: boolean }>(
    "users.unknown-connection",
    {
      side: "response",
      question:
        '"GET https://YOUR_NAMESPACE/api/connections/{connection}/users" (Users) does not say what the users of a connection that does not exist answer.',
      core: "404, or an empty list.",
      strict: "404 (spec listConnectionUsers).",
      checks: [
        "users.unknown-connection",
        "users.unknown-connection-404",
        "generated.list-connection-users",
      ],
      readings: {
        core: { statuses: [404], emptyList: true },
        strict: { statuses: [404], emptyList: false },
      },
    },
  ),
  "users.pagination": define<{ judged: boolean }>("users.pagination", {
    side: "request",
    question: "The document describes no pagination.",
    core: "Not judged: per_page may be honoured, ignored or refused.",
    strict: 'Honoured with Link rel="next" pages, or ignored (spec quirk 14).',
    checks: ["users.pagination", "generated.list-users"],
    readings: { core: { judged: false }, strict: { judged: true } },
  }),
  "users.social": define<{ alsoSocial: readonly string[] }>("users.social", {
    side: "response",
    question:
      '"Gets all users who have logged in through any of the enabled social connections." (Users) does not name the social strategies; only "an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain" (Users) names Office 365 and Google Apps enterprise directories.',
    core: "The social list holds no user of a google-apps or office365 connection, and none of a disabled (status 0) connection.",
    strict:
      "Social means google-oauth2 and windowslive: no ADFS user either, and every user of an enabled social connection is listed (spec listSocialConnectionUsers).",
    checks: ["users.social-only", "users.social-split", "users.cross-endpoint"],
    readings: { core: { alsoSocial: ["adfs"] }, strict: { alsoSocial: [] } },
  }),
  "client-id.foreign": define<
    RequestReading & { suiteSendsServerOwned: boolean; replaceSendsShownClientId: boolean }
  >("client-id.foreign", {
    side: "request",
    question:
      '"client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token." (List all Connections); the document does not say what a create or replace that names another, or sends the other server-owned fields (id, the provisioning fields), does.',
    core: "Refused with a 4xx, or created with the token's client as client_id; the suite's replaces send back the client_id the connection shows.",
    strict: "Ignored: the connection is the token's client's (spec quirk 16).",
    checks: ["connections.client-id", "connections.liberal-create", "generated.create-connection"],
    readings: {
      core: { answer: "either", suiteSendsServerOwned: false, replaceSendsShownClientId: true },
      strict: { answer: "accept", suiteSendsServerOwned: true, replaceSendsShownClientId: false },
    },
  }),
};

/** The id of an open point. */
export type OpenPointId = keyof typeof registry;

/** The open point with this id, its readings typed. */
export function point<K extends OpenPointId>(id: K): (typeof registry)[K] {
  return registry[id];
}

/** Every open point. */
export const openPoints: readonly OpenPoint[] = Object.values(registry);

/** Whether a value names a profile. */
export function isProfile(value: unknown): value is Profile {
  return value === "core" || value === "strict";
}

/**
 * Whether a check or validator of profile `member` belongs to a run of `profile`: `strict`
 * runs everything, `core` only what the document itself requires.
 */
export function inProfile(profile: Profile, member: Profile): boolean {
  return profile === "strict" || member === "core";
}

/** The refusal statuses a check of `profile` takes where the spec documents `documented`. */
export function refusalsFor(
  profile: Profile,
  documented: ReadonlyArray<number>,
): Array<number | "4xx"> {
  return point("errors.refusal-status").under(profile).documentedOnly ? [...documented] : ["4xx"];
}

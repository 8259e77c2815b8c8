/**
 * The points where the reference document is silent or ambiguous and a check has to take a
 * side. At each, `core` accepts every reasonable reading; `strict` holds the server to the
 * spec's own choice. The e2e package runs one lenient server per point (and per stricter
 * reading), each of which must pass core.
 */
export interface OpenPoint {
  /** Stable identifier, `<topic>.<point>`. */
  id: string;
  /** What the document leaves open, and where. */
  question: string;
  /** What core accepts. */
  core: string;
  /** What strict requires: the spec's choice. */
  strict: string;
  /** The checks and validators whose verdict depends on the point. */
  checks: readonly string[];
}

export const openPoints: readonly OpenPoint[] = [
  {
    id: "token.error-status",
    question:
      "The document says nothing of failed token requests. RFC 6749 section 5.2 answers invalid_client with 400, or 401 when the client authenticated through the Authorization header.",
    core: "400 or 401, with a JSON body whose error is invalid_client.",
    strict: "401 invalid_client (spec quirk 18, x-strict).",
    checks: [
      "token.wrong-secret",
      "token.unknown-client",
      "token.credential-parts",
      "token.spec-errors",
    ],
  },
  {
    id: "token.other-grant",
    question: "Line 16 shows grant_type=client_credentials and no other grant.",
    core: "Any other grant is refused with 400 or 401 and an RFC 6749 error; never a token.",
    strict: "400 unsupported_grant_type (spec getAccessToken).",
    checks: ["token.unsupported-grant", "token.spec-errors"],
  },
  {
    id: "errors.body",
    question:
      'Line 27 says "All content is returned in JSON"; the document shows no error answer at all.',
    core: "An error answer has no body, or a JSON object of any shape (spec Error).",
    strict: "The JSON error object, statusCode, error and message (spec quirk 13, x-strict).",
    checks: [
      "auth.missing-token",
      "auth.garbage-token",
      "response.schema",
      "response.schema-strict",
    ],
  },
  {
    id: "errors.refusal-status",
    question:
      "The document names no status for a refused request (a duplicate name, a partial PUT, a wrong body).",
    core: "Any 4xx refuses.",
    strict:
      "The statuses the spec documents: 400 for a bad body or a partial PUT, 409 for a duplicate name, 404 for what does not exist.",
    checks: ["lifecycle.*", "negative.*", "response.documented-refusal", "lifecycle.spec-statuses"],
  },
  {
    id: "create.success-status",
    question: 'Line 148 says only "if successful" of a create.',
    core: "200 or 201.",
    strict: "200 or 201 (spec quirk 8).",
    checks: ["lifecycle.*", "response.documented-status"],
  },
  {
    id: "create.status-omitted",
    question:
      'Line 142 creates a connection "initially inactive (status=0)"; nothing says a create must carry status, and the era\'s own client sent none.',
    core: "A create without status is refused with a 4xx, or created with status 0 or 1.",
    strict: "Accepted, with status 1 (spec quirk 16).",
    checks: ["negative.missing-fields", "connections.liberal-create"],
  },
  {
    id: "create.options-omitted",
    question: "Nothing says a create must carry options.",
    core: "A create without options is refused with a 4xx, or created with an options object.",
    strict: "Accepted, with options {} (spec quirk 16).",
    checks: ["negative.missing-fields"],
  },
  {
    id: "create.option-keys",
    question:
      "Line 144 marks ext_groups as optional; that makes no other option key required, and line 100 shows tenant_domain empty.",
    core: "The suite sends the complete example bodies of the spec, so a server may require every key they hold or none.",
    strict:
      "No option key is required (spec quirk 10): the era's body with only options.tenant_domain is accepted.",
    checks: ["lifecycle.*", "connections.liberal-create"],
  },
  {
    id: "create.unknown-fields",
    question:
      "The document does not say what a server does with a top-level field it does not know.",
    core: "Refused with a 4xx, or ignored; never a 5xx.",
    strict: "Ignored, not stored (spec quirk 16).",
    checks: ["connections.odd-inputs", "connections.liberal-create"],
  },
  {
    id: "connection.id-shown",
    question:
      'Line 148 says the create answer includes "the entity id"; the list and get objects of line 49 show none.',
    core: "The create answer carries id; list, get and replace answers may leave it out, and show the same id when they carry one.",
    strict: "id in every connection answer (x-strict).",
    checks: ["lifecycle.*", "document.trailing-slash", "response.schema", "response.schema-strict"],
  },
  {
    id: "delete.removed",
    question: '`{ "removed": {id} }` (line 132) gives no type.',
    core: "removed is the id the create answered, as a string or a number.",
    strict: "A string, as every id (x-strict).",
    checks: ["lifecycle.*", "document.trailing-slash", "response.schema", "response.schema-strict"],
  },
  {
    id: "delete.gone-status",
    question: "The document says a delete is permanent, not what the name answers afterwards.",
    core: "404 or 410.",
    strict: "404 (spec getConnection).",
    checks: ["lifecycle.*", "lifecycle.spec-statuses"],
  },
  {
    id: "connection.client-secret",
    question:
      'Line 88: the options "will typically contain the same information that was entered".',
    core: "options.client_secret may be shown as entered, masked or left out; every other option entered comes back as entered.",
    strict: "Shown as entered, where shown (spec quirk 10).",
    checks: ["lifecycle.*", "connections.client-secret-shown"],
  },
  {
    id: "connection.names",
    question:
      "The document fixes no syntax for connection names beyond their use in URLs (lines 36-40).",
    core: "A server may accept or refuse names with spaces, non-ASCII characters or over 128 characters, never with a 5xx; the suite's own names are plain lower-case words and hyphens.",
    strict: "The spec's ConnectionName (spec quirk 17, x-strict): a server answers no other name.",
    checks: ["connections.odd-inputs", "response.schema-strict"],
  },
  {
    id: "users.unknown-connection",
    question: "Line 157 does not say what the users of a connection that does not exist answer.",
    core: "404, or an empty list.",
    strict: "404 (spec listConnectionUsers).",
    checks: ["users.unknown-connection", "users.unknown-connection-404"],
  },
  {
    id: "users.pagination",
    question: "The document describes no pagination.",
    core: "Not judged: per_page may be honoured, ignored or refused.",
    strict: 'Honoured with Link rel="next" pages, or ignored (spec quirk 14).',
    checks: ["users.pagination"],
  },
  {
    id: "users.social",
    question:
      'Line 158 lists the users of "the enabled social connections"; only line 157 calls Office 365 and Google Apps enterprise directories.',
    core: "The social list holds no user of a google-apps or office365 connection, and none of a disabled (status 0) connection.",
    strict:
      "Social means google-oauth2 and windowslive: no ADFS user either, and every user of an enabled social connection is listed (spec listSocialConnectionUsers).",
    checks: ["users.social-only", "users.social-split"],
  },
  {
    id: "client-id.foreign",
    question:
      "Line 53 defines client_id as the client used to obtain the token; the document does not say what a create that names another does.",
    core: "Refused with a 4xx, or created with the token's client as client_id.",
    strict: "Ignored: the connection is the token's client's (spec quirk 16).",
    checks: ["connections.client-id", "connections.liberal-create"],
  },
];

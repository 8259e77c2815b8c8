import { LIFECYCLES, type Statement } from "./statement.js";

/** The document's statements from its start to the list of all connections, in its order. */
export const endpointStatements: readonly Statement[] = [
  // API endpoint
  {
    section: "API endpoint",
    says: "Each API request must include an access token, either inside the query string:",
    judgedBy: [
      "auth.missing-token",
      "auth.query-token",
      "auth.garbage-token",
      "auth.token-variants",
      "robustness.other-methods",
      "listConnections/invalid/token-altered",
      "createConnection/invalid/token-altered",
    ],
  },
  {
    section: "API endpoint",
    says: "or in an Authorization header: GET https://YOUR_NAMESPACE/api/connections Authorization: bearer {ACCESS-TOKEN}",
    judgedBy: [
      "auth.bearer-lowercase",
      "auth.garbage-token",
      "auth.token-variants",
      "listConnections/invalid/authorization-malformed",
      "listConnections/valid/variants",
    ],
  },
  {
    section: "API endpoint",
    says: "A token is obtained using the POST method: POST https://YOUR_NAMESPACE/oauth/token Content-type: application/x-www-form-urlencoded client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET&type=web_server&grant_type=client_credentials",
    judgedBy: [
      "token.parameter-omitted",
      "token.form",
      "token.form-without-type",
      "token.wrong-secret",
      "token.unknown-client",
      "token.credential-parts",
      "token.unsupported-grant",
      "token.missing-parameter",
      "token.spec-errors",
      "token.json-body",
      "robustness.token-basic",
      "robustness.byte-order-mark",
      "generated.get-access-token",
      "getAccessToken/invalid/secret-altered",
      "getAccessToken/invalid/parameter-repeated",
    ],
  },
  {
    section: "API endpoint",
    says: "The response body of this POST is a JSON object: { 'access_token': TOKEN 'token_type':'bearer' }",
    judgedBy: ["token.response-shape", "response.schema", "response.no-secret-echo"],
  },
  {
    section: "API endpoint",
    says: 'Here is a simple example using curl: curl https://YOUR_NAMESPACE/oauth/token --data "client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET&type=web_server&grant_type=client_credentials"',
    judgedBy: ["token.form", "getAccessToken/valid/variants"],
  },
  {
    section: "API endpoint",
    says: "The Authorization header is the only accepted header and is used in place of the query string to send the access_token.",
    judgedBy: [
      "auth.other-header",
      "robustness.token-twice",
      "listConnections/open/token-repeated",
      "createConnection/open/token-repeated",
    ],
  },
  {
    section: "API endpoint",
    says: "All content is returned in JSON.",
    judgedBy: [
      "response.single-content-type",
      "response.json-content-type",
      "response.schema",
      "document.accept-xml",
    ],
  },
  {
    section: "API endpoint",
    says: "The Accept header is ignored for now.",
    judgedBy: ["document.accept-xml", "document.media-types", "listConnections/valid/variants"],
  },
  {
    section: "API endpoint",
    says: "Authorization: bearer {ACCESS-TOKEN}",
    judgedBy: ["auth.bearer-lowercase", "auth.bearer-capitalized"],
  },
  // Connection Methods
  {
    section: "Connection Methods",
    says: "GET https://YOUR_NAMESPACE/api/connections",
    judgedBy: [...LIFECYCLES, "stateful.connections", "generated.list-connections"],
  },
  {
    section: "Connection Methods",
    says: "GET https://YOUR_NAMESPACE/api/connections/{connectionName}",
    judgedBy: ["connections.unknown-name", "stateful.connections", "generated.get-connection"],
  },
  {
    section: "Connection Methods",
    says: "POST https://YOUR_NAMESPACE/api/connections",
    judgedBy: [...LIFECYCLES, "generated.create-connection"],
  },
  {
    section: "Connection Methods",
    says: "DELETE https://YOUR_NAMESPACE/api/connections/{connectionName}",
    judgedBy: [...LIFECYCLES, "connections.unknown-name", "generated.delete-connection"],
  },
  {
    section: "Connection Methods",
    says: "PUT https://YOUR_NAMESPACE/api/connections/{connectionName}",
    judgedBy: [...LIFECYCLES, "lifecycle.put-answer", "generated.update-connection"],
  },
  // List all Connections
  {
    section: "List all Connections",
    says: "To return a list of all defined connections in Auth0, use this syntax: GET https://YOUR_NAMESPACE/api/connections/?access_token={ACCESS-TOKEN}",
    judgedBy: ["document.trailing-slash", "auth.query-token", "stateful.connections"],
  },
  {
    section: "List all Connections",
    says: 'The body of the response is a connection object formatted as follows: { "client_id": "YOUR_CLIENT_ID", "name": YOUR-CONNECTION-NAME, "options": { ... }, "status": 0, "strategy": STRATEGY }',
    judgedBy: ["response.schema", "response.schema-strict", "stateful.connections", ...LIFECYCLES],
  },
  {
    section: "List all Connections",
    says: "client_id Your client_id (YOUR_CLIENT_ID), used to obtain the authentication token.",
    judgedBy: ["connections.client-id", "connections.liberal-create", "response.schema"],
  },
  {
    section: "List all Connections",
    says: "name The unique name you gave to the connection.",
    judgedBy: [
      ...LIFECYCLES,
      "lifecycle.spec-statuses",
      "connections.odd-inputs",
      "connections.put-name-mismatch",
      "createConnection/invalid/name-wrong-type",
      "createConnection/invalid/name-empty",
    ],
  },
  {
    section: "List all Connections",
    says: "status Defines whether the connection is active 1 or not 0.",
    judgedBy: [
      "updateConnection/invalid/status-out-of-range",
      "users.social-only",
      "users.cross-endpoint",
      "createConnection/invalid/status-out-of-range",
      "createConnection/invalid/status-wrong-type",
    ],
  },
  {
    section: "List all Connections",
    says: "strategy The type of identity provider associated with this connection.",
    judgedBy: [...LIFECYCLES, "users.connection-strategy", "connections.put-strategy-fixed"],
  },
  {
    section: "List all Connections",
    says: "See below for supported strategies.",
    judgedBy: [
      "createConnection/invalid/strategy-unknown",
      "updateConnection/invalid/strategy-unknown",
    ],
  },
  {
    section: "List all Connections",
    says: "options An object with properties that are dependent on the strategy selected.",
    judgedBy: [
      "response.schema",
      "createConnection/invalid/options-wrong-type",
      "updateConnection/invalid/options-wrong-type",
    ],
  },
  {
    section: "List all Connections",
    says: "adfs On Premises Active Directory or any WS-Federation server",
    judgedBy: ["lifecycle.adfs"],
  },
  {
    section: "List all Connections",
    says: "google-apps Google Apps",
    judgedBy: ["lifecycle.google-apps"],
  },
  {
    section: "List all Connections",
    says: "google-oauth2 Google (through the OAuth2 protocol)",
    judgedBy: ["lifecycle.google-oauth2"],
  },
  {
    section: "List all Connections",
    says: "office365 Office 365 and Microsoft Azure Active Directory",
    judgedBy: ["lifecycle.office365"],
  },
  {
    section: "List all Connections",
    says: "windowslive Microsoft Account (formerly LiveID)",
    judgedBy: ["lifecycle.windowslive"],
  },
  {
    section: "List all Connections",
    says: "When implementing the office365, google-apps or adfs strategies, the following properties are added to the connection object: provisioning_ticket: TICKET provisioning_ticket_url: PROVISIONING-URL",
    judgedBy: [
      "lifecycle.adfs",
      "lifecycle.google-apps",
      "lifecycle.office365",
      "consistency.connection-fields",
      "connections.server-fields-ignored",
      "connections.put-round-trip",
      "response.schema",
    ],
  },
  {
    section: "List all Connections",
    says: "The provisioning_ticket_url is sent to the identity provider administrator and contains information on how to complete the configuration on their side.",
    judgedBy: ["consistency.connection-fields", "lifecycle.adfs", "response.schema"],
  },
  {
    section: "List all Connections",
    says: "A GET on connections with a specified {connectionName} in the path will return the matching connection object only.",
    judgedBy: [
      "document.malformed-path",
      "document.unknown-path",
      ...LIFECYCLES,
      "connections.unknown-name",
      "stateful.connections",
    ],
  },
  {
    section: "List all Connections",
    says: "Here are two curl sample scripts:",
    unobservable: "It introduces the two examples that follow and asks nothing of a server.",
  },
  {
    section: "List all Connections",
    says: "This script returns a specific connection: curl https://YOUR_NAMESPACE/api/connections/?access_token={YOUR ACCESS TOKEN}",
    judgedBy: ["document.trailing-slash", "auth.query-token"],
  },
  {
    section: "List all Connections",
    says: "This script returns all connections: curl https://YOUR_NAMESPACE/api/connections/{YOUR-CONNECTION-NAME}?access_token={YOUR ACCESS TOKEN}",
    judgedBy: ["document.trailing-slash", "auth.query-token"],
  },
  {
    section: "List all Connections",
    says: "The options object returned in the connection will be different for each strategy and will typically contain the same information that was entered on the connections screen.",
    judgedBy: [
      ...LIFECYCLES,
      "stateful.connections",
      "connections.client-secret-shown",
      "robustness.byte-order-mark",
    ],
  },
];

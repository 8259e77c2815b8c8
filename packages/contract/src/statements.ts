/**
 * Every statement of the Management API v1 reference document, in its words and its order, with
 * the properties that judge it: check ids, response validator ids, and generated families
 * (`<operationId>/<kind>/<name>`, as `familiesOf` names them). A statement no request can observe
 * says why instead. CHECKS.md prints the table; src/statements.test.ts holds it to the catalog.
 */
export interface Statement {
  /** The section of the document it stands in, by its heading. */
  section: string;
  /** The document's words; "…" marks words left out of a long example. */
  says: string;
  /** The properties that judge it. */
  judgedBy?: readonly string[];
  /** Why no request through the API can observe it, for a statement no property judges. */
  unobservable?: string;
}

const LIFECYCLES = [
  "lifecycle.adfs",
  "lifecycle.google-apps",
  "lifecycle.google-oauth2",
  "lifecycle.office365",
  "lifecycle.windowslive",
];

export const statements: readonly Statement[] = [
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
  // The strategies' options
  {
    section: "ADFS Strategy",
    says: "{ tenant_domain: A-DOMAIN, adfs_server: YOUR-FEDERATION-METADATA-ENDPOINT, thumbprints: [ '9b250aad7e4950604072ffaa60cde7795f23b52a', … ], signInEndpoint: ADFS-LOGIN-PAGE }",
    judgedBy: ["lifecycle.adfs", "response.schema", "createConnection/invalid/option-wrong-type"],
  },
  {
    section: "ADFS Strategy",
    says: "tenant_domain The domain name of the company (If the user's email is john, then is the domain).",
    judgedBy: ["lifecycle.adfs", "stateful.connections"],
  },
  {
    section: "ADFS Strategy",
    says: "adfs_server (for example:",
    judgedBy: ["lifecycle.adfs", "response.schema"],
  },
  {
    section: "ADFS Strategy",
    says: "signInEndpoint The URL of the ADFS server where Auth0 will redirect users for login. (for example:",
    unobservable:
      "Where users are sent to log in is the login flow's business, not the Management API's; that the value is kept as entered is judged under the ADFS example above.",
  },
  {
    section: "Google Apps Strategy",
    says: "{ client_id: GOOG-CLIENT-ID, client_secret: GOOG-CLIENT-SECRET, tenant_domain: '', email: true/false, profile: true/false, ext_groups: true/false, … scope: [ '', '' ] }",
    judgedBy: [
      "lifecycle.google-apps",
      "response.schema",
      "connections.liberal-create",
      "createConnection/open/odd-option-strings",
    ],
  },
  {
    section: "Google Apps Strategy",
    says: "To obtain client_id and client_secret for Google Apps connections, see Google connections.",
    unobservable:
      "It points to Google's own documentation for obtaining credentials, which no request to this API can check.",
  },
  {
    section: "Google OAuth2 Strategy",
    says: "{ client_id: 'GOOG-CLIENT-ID', client_secret: 'GOOG-CLIENT-SECRET', email: true/false, profile: true/false, contacts: true/false, … scope: [] }",
    judgedBy: ["lifecycle.google-oauth2", "response.schema", "stateful.connections"],
  },
  {
    section: "Office 365 Strategy",
    says: "{ client_id: 'OFFICE-365-CLIENT-ID', client_secret: 'OFFICE-365-CLIENT-SECRET', tenant_domain: 'CONNECTION-DOMAIN-ON-OFFICE-365', basic_profile: true/false, … app_domain: 'YOUR_NAMESPACE', thumbprints: [] }",
    judgedBy: ["lifecycle.office365", "response.schema"],
  },
  {
    section: "Office 365 Strategy",
    says: "To obtain client_id and client_secret for Office 365 connections, see o365-clientid.",
    unobservable:
      "It points to Microsoft's documentation for obtaining credentials, which no request to this API can check.",
  },
  {
    section: "Microsoft Account Strategy",
    says: "{ client_id: 'MSFT-ACCOUNT-CLIENT-ID', client_secret: 'MSFT-ACCOUNT-CLIENT-SECRET', signin: true/false, emails: true/false, … scope: [] }",
    judgedBy: ["lifecycle.windowslive", "response.schema"],
  },
  {
    section: "Microsoft Account Strategy",
    says: "To obtain client_id and client_secret for Microsoft Accounts, see Microsoft Account Client ID.",
    unobservable:
      "It points to Microsoft's documentation for obtaining credentials, which no request to this API can check.",
  },
  // Get a specific Connection
  {
    section: "Get a specific Connection",
    says: "GET https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=...",
    judgedBy: [
      "document.trailing-slash",
      "generated.get-connection",
      "getConnection/invalid/absent",
    ],
  },
  // Delete a connection
  {
    section: "Delete a connection",
    says: "A Delete operation on the connections object will eliminate the connection definition permanently.",
    judgedBy: [...LIFECYCLES, "lifecycle.spec-statuses", "stateful.connections"],
  },
  {
    section: "Delete a connection",
    says: "The parameter for this operation is the name of the connection to delete.",
    judgedBy: ["connections.unknown-name", "generated.delete-connection"],
  },
  {
    section: "Delete a connection",
    says: "DELETE https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=...",
    judgedBy: ["document.trailing-slash", "auth.query-token"],
  },
  {
    section: "Delete a connection",
    says: 'If successful, the response body will contain a confirmation object: { "removed": {id} }',
    judgedBy: [
      ...LIFECYCLES,
      "stateful.connections",
      "consistency.connection-fields",
      "response.schema",
    ],
  },
  {
    section: "Delete a connection",
    says: "Note: Batch operations are not yet supported.",
    judgedBy: ["document.unlisted-methods", "robustness.other-methods"],
  },
  // Create a new Connection
  {
    section: "Create a new Connection",
    says: "To create a new connection, POST a connection object to the connections resource: POST https://YOUR_NAMESPACE/connections Content-Type: application/json",
    judgedBy: [
      "document.media-types",
      "createConnection/open/media-type",
      "createConnection/invalid/malformed-json",
      "updateConnection/invalid/malformed-json",
    ],
  },
  {
    section: "Create a new Connection",
    says: "The body of the request is formatted as a connection object.",
    judgedBy: [
      "document.large-body",
      "negative.missing-fields",
      "robustness.byte-order-mark",
      "response.server-error",
      "response.documented-refusal",
      "createConnection/invalid/body-not-object",
      "createConnection/invalid/missing-required",
      "createConnection/invalid/empty-body",
      "createConnection/invalid/name-null",
      "updateConnection/invalid/body-not-object",
    ],
  },
  {
    section: "Create a new Connection",
    says: 'For example, the following will create a new connection to Google Apps, initially inactive (status=0): { "name": A-NAME-FOR-THIS-CONNECTION "status": 0, "options": { "client_id": GOOG-APPS-CLIENT-ID, "client_secret": GOOG-APPS-CLIENT-SECRET, "tenant_domain": GOOG-APP-DOMAIN, "ext_groups":true //Optional }, "strategy": "google-apps" };',
    judgedBy: ["lifecycle.google-apps", "connections.liberal-create", "negative.missing-fields"],
  },
  {
    section: "Create a new Connection",
    says: "Once again, the options object is dependent on the strategy specified.",
    judgedBy: [
      "createConnection/invalid/option-wrong-type",
      "createConnection/open/option-null",
      ...LIFECYCLES,
    ],
  },
  {
    section: "Create a new Connection",
    says: "If successful, the response body will contain a complete connection object.",
    judgedBy: [...LIFECYCLES, "response.schema", "response.documented-status"],
  },
  {
    section: "Create a new Connection",
    says: "This will include additional fields (e.g. the entity id, etc.).",
    judgedBy: [
      ...LIFECYCLES,
      "consistency.connection-fields",
      "connections.server-fields-ignored",
      "response.schema-strict",
    ],
  },
  // Updating a Connection
  {
    section: "Updating a Connection",
    says: "For updates, use the PUT method.",
    judgedBy: [...LIFECYCLES, "lifecycle.put-answer", "generated.update-connection"],
  },
  {
    section: "Updating a Connection",
    says: "A PUT works on a specific connection, therefore the connection name must be specified.",
    judgedBy: [
      "connections.put-other-name",
      "connections.unknown-name",
      "connections.put-name-mismatch",
      "robustness.other-methods",
      "updateConnection/invalid/absent",
    ],
  },
  {
    section: "Updating a Connection",
    says: "All object parameters must be included, not only those which have changed.",
    judgedBy: [
      "connections.server-fields-kept",
      ...LIFECYCLES,
      "lifecycle.spec-statuses",
      "connections.put-round-trip",
      "response.documented-refusal",
      "updateConnection/invalid/missing-required",
    ],
  },
  // The user lists
  {
    section: "Users",
    says: "GET https://YOUR_NAMESPACE/api/users Gets all users who have logged in through any of your connections.",
    judgedBy: [
      "users.list",
      "users.cross-endpoint",
      "consistency.users-once",
      "generated.list-users",
    ],
  },
  {
    section: "Users",
    says: "GET https://YOUR_NAMESPACE/api/connections/{connection}/users Gets all users from an enterprise directory like Office365 / Microsoft Azure Active Directory or a Google Apps domain.",
    judgedBy: [
      "users.connection-strategy",
      "users.unknown-connection",
      "users.unknown-connection-404",
      "lifecycle.new-connection-users",
      "consistency.users-once",
      "generated.list-connection-users",
    ],
  },
  {
    section: "Users",
    says: "Note: If the connection does not support querying for users (for instance: ADFS), this will return users who have logged in through that connection.",
    judgedBy: ["users.connection-strategy", "users.cross-endpoint"],
  },
  {
    section: "Users",
    says: "GET https://YOUR_NAMESPACE/api/socialconnections/users Gets all users who have logged in through any of the enabled social connections.",
    judgedBy: [
      "users.social-only",
      "users.social-split",
      "users.cross-endpoint",
      "users.pagination",
      "consistency.users-once",
      "generated.list-social-connection-users",
    ],
  },
  {
    section: "The User Object",
    says: "{ _id: '7eb1ae32568910b0f46e981aa99b56556', email: '', family_name: 'Fabrikam', given_name: 'John', identities: [], issuer: '', lastLogin: '2013-01-15T01:54:30.578Z', loginsCount: 13, name: 'John Fabrikam', nickname: 'john', picture: '', user_id: 'adfs|' }",
    judgedBy: ["response.schema", "users.list"],
  },
  {
    section: "The User Object",
    says: "Most attributes in the user object are self-explanatory.",
    unobservable: "It asks nothing of a server: it says the attributes need no comment.",
  },
  {
    section: "The User Object",
    says: "Some comments are below:",
    unobservable: "It introduces the table that follows and asks nothing of a server.",
  },
  {
    section: "The User Object",
    says: "issuer The name of the authentication server.",
    judgedBy: ["response.schema"],
  },
  {
    section: "The User Object",
    says: "In the example above it is the URL of Fabrikam's ADFS server used.",
    unobservable:
      "It describes the example's value; which server authenticated a user is not visible through the API.",
  },
  {
    section: "The User Object",
    says: "user_id (for example:",
    unobservable:
      "The row breaks off before its example; the complete user_id row below is judged.",
  },
  {
    section: "The User Object",
    says: "picture The URL of the user's gravatar, if available.",
    judgedBy: ["response.schema"],
  },
  {
    section: "The User Object",
    says: 'user_id A "friendly" unique identifier composed of the strategy plus a unique identifier from the issuer (for example: e-mail, etc.).',
    judgedBy: [
      "users.list",
      "users.connection-strategy",
      "consistency.users-once",
      "response.schema",
    ],
  },
];

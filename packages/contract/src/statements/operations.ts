import { LIFECYCLES, type Statement } from "./statement.js";

/** The document's statements from the strategies' options to its end, in its order. */
export const operationStatements: readonly Statement[] = [
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

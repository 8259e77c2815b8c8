// This file is generated. Do not edit it by hand.
// Source: @mgmtkit/spec/openapi.json (the bundled spec/openapi.yaml), through openapi-typescript.
// Command: pnpm --filter @mgmtkit/sdk generate (node scripts/generate.mjs).
// The tests fail when it differs from a fresh generation; regenerate after every spec change.

export interface paths {
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Obtain an access token
         * @description Exchanges the tenant's client credentials for an access token (the OAuth 2.0 client
         *     credentials grant). The request is form-encoded; `type=web_server` is optional and accepted.
         *     The token is then sent with every `/api` call, in the `Authorization` header or as the
         *     `access_token` query parameter.
         *
         *     Errors follow RFC 6749 section 5.2: `invalid_client` for an unknown client or a wrong
         *     secret (`401` here; `400`, RFC 6749's default for credentials in the body, is conforming
         *     too), `unsupported_grant_type` (400) for any grant other than `client_credentials`, and
         *     `invalid_request` (400) for a missing parameter.
         */
        post: operations["getAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all connections
         * @description Returns every connection defined in the tenant, as a JSON array of connection objects (the
         *     document calls the answer "a connection object"; it is a list of them). An empty tenant
         *     answers `[]`. The document's example URL ends in a slash, `/api/connections/`; both forms
         *     are accepted.
         */
        get: operations["listConnections"];
        put?: never;
        /**
         * Create a connection
         * @description Creates a connection from a connection object. Only `name` and `strategy` are required;
         *     `options` must match the `strategy` and may hold any subset of its documented properties.
         *     `status` defaults to `1` and `options` to `{}`. The server owns `client_id` (the client the
         *     token was issued to), the `id` and, for `office365`, `google-apps` and `adfs`, the
         *     `provisioning_ticket` and `provisioning_ticket_url`: values sent for them are ignored, as
         *     are unknown top-level properties (quirk 16). The smallest body is the one the API's own
         *     Node client documented, `{"name": …, "strategy": …, "options": {…}}`.
         *
         *     The document writes this URL as `POST https://YOUR_NAMESPACE/connections`, without `/api`;
         *     its table of connection methods, which this description follows, has `/api/connections`.
         *     It says only "if successful" of the answer, so both `200` and `201` are success.
         */
        post: operations["createConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/{connectionName}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        /**
         * Get a connection
         * @description Returns the connection with this name, and only it. The document's example URL ends in a
         *     slash, `/api/connections/{A-CONNECTION-NAME}/`; both forms are accepted.
         */
        get: operations["getConnection"];
        /**
         * Replace a connection
         * @description Replaces the whole connection: "all object parameters must be included, not only those
         *     which have changed". A body missing any of `name`, `status`, `strategy` or `options` is
         *     refused with `400`. The `name` in the body must equal the name in the path (renaming is not
         *     supported), and the `strategy` must equal the connection's current strategy (the kind of
         *     identity provider cannot change, because the users of the connection carry it in their
         *     `user_id`); either mismatch is refused with `400`. The server-owned fields (`id`,
         *     `client_id`, the provisioning fields) may be left out, and values sent for them are ignored
         *     (quirk 16): the object a `GET` returned can be sent back as it is, and so can one built by
         *     hand as `{name, strategy, status, options}`.
         */
        put: operations["updateConnection"];
        post?: never;
        /**
         * Delete a connection
         * @description Deletes the connection definition permanently. The answer is a confirmation object whose
         *     `removed` is the `id` of the deleted connection; afterwards the name answers `404`. Batch
         *     operations are not supported. The document's example URL ends in a slash; both forms are
         *     accepted.
         */
        delete: operations["deleteConnection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all users
         * @description Gets all users who have logged in through any of your connections.
         */
        get: operations["listUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/connections/{connectionName}/users": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        /**
         * List the users of a connection
         * @description Gets all users from an enterprise directory like Office 365 / Microsoft Azure Active
         *     Directory or a Google Apps domain. If the connection does not support querying for users
         *     (for instance ADFS), this returns the users who have logged in through that connection.
         *     Every `user_id` starts with the connection's strategy. An unknown connection answers `404`.
         */
        get: operations["listConnectionUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/socialconnections/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the users of social connections
         * @description Gets all users who have logged in through any of the enabled social connections: the
         *     users of every connection whose `status` is `1` and whose strategy is social. Of the
         *     documented strategies, `google-oauth2` and `windowslive` are social (`x-social` in
         *     `Strategy`); the enterprise strategies (`adfs`, `google-apps`, `office365`) are not. Users
         *     of a social connection with `status` `0` are not listed (quirk 19).
         */
        get: operations["listSocialConnectionUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description The client credentials grant of RFC 6749 section 4.4, with the tenant's credentials. */
        TokenRequest: {
            /** @description Your client id. */
            client_id: string;
            /** @description Your client secret. */
            client_secret: string;
            /**
             * @description Always `client_credentials`.
             * @constant
             */
            grant_type: "client_credentials";
            /**
             * @description Optional; the document sends `type=web_server`.
             * @constant
             */
            type?: "web_server";
        };
        TokenResponse: {
            /** @description The token to send with every `/api` call. */
            access_token: string;
            /** @description Always `bearer` (compared case-insensitively). */
            token_type: string;
            /** @description Seconds until the token expires, where the server says. */
            expires_in?: number;
        };
        /** @description An RFC 6749 section 5.2 error response. */
        OAuthError: {
            /** @enum {string} */
            error: "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "invalid_scope";
            error_description?: string;
            /** Format: uri */
            error_uri?: string;
        };
        /**
         * @description A `400` of the token endpoint. `invalid_client` is allowed, as RFC 6749 section 5.2 makes
         *     `400` its default when the credentials come in the body; this description's servers answer
         *     `invalid_client` with `401` instead (`x-strict`).
         */
        OAuthBadRequestError: components["schemas"]["OAuthError"];
        /** @description A `401` of the token endpoint, always `invalid_client`. */
        OAuthInvalidClientError: components["schemas"]["OAuthError"] & {
            /** @constant */
            error?: "invalid_client";
        };
        /**
         * @description The JSON body of every 4xx and 5xx answer under `/api`. The document describes no error
         *     body, only that all content is JSON: any JSON object is a conforming error body. This
         *     description's servers always answer `statusCode`, `error` and `message` (quirk 13,
         *     `x-strict`).
         */
        Error: {
            /** @description The HTTP status of the answer. */
            statusCode?: number;
            /** @description The HTTP reason phrase, for example `Not Found`. */
            error?: string;
            /** @description What went wrong, in one sentence. */
            message?: string;
            /** @description On `400`, which field is wrong and why. */
            detail?: string | Record<string, never> | unknown[];
        };
        /**
         * @description The unique name a client gives a connection. It is the connection's URL path segment, so this
         *     description's servers take letters, digits, `_`, `.` and `-`, starting and ending with a
         *     letter or a digit, at most 128 characters, and refuse other names with `400`. The document
         *     sets no rule on names; other servers may accept more (see `StoredConnectionName`).
         * @example fabrikam-office365
         */
        ConnectionName: string;
        /**
         * @description The name of a connection as a server answers it. The document sets no rule on names, so a
         *     server that accepts names with spaces or non-ASCII characters answers them too; this
         *     description's own servers only hold names that match `ConnectionName` (`x-strict`).
         */
        StoredConnectionName: string;
        /**
         * @description The type of identity provider of a connection. The document lists five; `google-oauth2` and
         *     `windowslive` are the social ones (`x-social`), whose users `/api/socialconnections/users`
         *     lists, and the other three are enterprise directories.
         */
        Strategy: string & ("adfs" | "google-apps" | "google-oauth2" | "office365" | "windowslive");
        /**
         * @description Whether the connection is active (`1`) or not (`0`).
         * @enum {integer}
         */
        ConnectionStatus: 0 | 1;
        /** @description Your client id, the one used to obtain the access token. */
        ClientId: string;
        /**
         * @description A field the server owns (quirk 16). A request may carry it, for example when a client sends
         *     back an object it read; the server ignores whatever it holds.
         */
        ServerOwnedField: unknown;
        /** @description Only on `office365`, `google-apps` and `adfs` connections. */
        ProvisioningTicket: string;
        /**
         * Format: uri
         * @description Only on `office365`, `google-apps` and `adfs` connections. Sent to the identity provider's
         *     administrator; explains how to complete the configuration on their side.
         */
        ProvisioningTicketUrl: string;
        /**
         * @description The server-assigned identifier of the connection, what delete answers as `removed`. The
         *     document never shows one, so a server may use strings or numbers; this description's servers
         *     use strings (`x-strict`).
         */
        ConnectionId: string | number;
        /** @description The confirmation object of a delete. */
        RemovedConnection: {
            removed: components["schemas"]["ConnectionId"];
        };
        /** @description Options of an `adfs` connection. */
        AdfsOptions: {
            /** @description The domain name of the company (for `john@fabrikam.com`, `fabrikam.com`). */
            tenant_domain?: string;
            /**
             * @description The federation metadata endpoint of the ADFS server.
             * @example https://adfs.fabrikam.com/FederationMetadata/2007-06/FederationMetadata.xml
             */
            adfs_server?: string;
            /** @description Thumbprints of the certificates the ADFS server signs with. */
            thumbprints?: string[];
            /**
             * @description The URL of the ADFS server where users are redirected to log in.
             * @example https://adfs.fabrikam.com/adfs/ls/
             */
            signInEndpoint?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description Options of a `google-apps` connection. */
        GoogleAppsOptions: {
            /** @description The Google client id. */
            client_id?: string;
            /** @description The Google client secret. */
            client_secret?: string;
            /** @description The Google Apps domain. */
            tenant_domain?: string;
            email?: boolean;
            profile?: boolean;
            ext_groups?: boolean;
            ext_is_admin?: boolean;
            ext_is_suspended?: boolean;
            ext_agreed_terms?: boolean;
            api_enable_users?: boolean;
            scope?: string[];
        } & {
            [key: string]: unknown;
        };
        /** @description Options of a `google-oauth2` connection. */
        GoogleOAuth2Options: {
            /** @description The Google client id. */
            client_id?: string;
            /** @description The Google client secret. */
            client_secret?: string;
            email?: boolean;
            profile?: boolean;
            contacts?: boolean;
            blogger?: boolean;
            calendar?: boolean;
            gmail?: boolean;
            google_plus?: boolean;
            orkut?: boolean;
            picasa_web?: boolean;
            tasks?: boolean;
            youtube?: boolean;
            adsense_management?: boolean;
            google_affiliate_network?: boolean;
            analytics?: boolean;
            google_books?: boolean;
            google_cloud_storage?: boolean;
            content_api_for_shopping?: boolean;
            chrome_web_store?: boolean;
            document_list?: boolean;
            google_drive?: boolean;
            google_drive_files?: boolean;
            latitude_best?: boolean;
            latitude_city?: boolean;
            moderator?: boolean;
            sites?: boolean;
            spreadsheets?: boolean;
            url_shortener?: boolean;
            webmaster_tools?: boolean;
            scope?: string[];
        } & {
            [key: string]: unknown;
        };
        /** @description Options of an `office365` connection. */
        Office365Options: {
            /** @description The Office 365 client id. */
            client_id?: string;
            /** @description The Office 365 client secret. */
            client_secret?: string;
            /** @description The connection's domain on Office 365. */
            tenant_domain?: string;
            basic_profile?: boolean;
            ext_profile?: boolean;
            ext_groups?: boolean;
            ext_assigned_plans?: boolean;
            api_enable_users?: boolean;
            /** @description Your namespace. */
            app_domain?: string;
            thumbprints?: string[];
        } & {
            [key: string]: unknown;
        };
        /** @description Options of a `windowslive` (Microsoft Account) connection. */
        WindowsLiveOptions: {
            /** @description The Microsoft Account client id. */
            client_id?: string;
            /** @description The Microsoft Account client secret. */
            client_secret?: string;
            signin?: boolean;
            emails?: boolean;
            postal_addresses?: boolean;
            birthday?: boolean;
            work_profile?: boolean;
            basic?: boolean;
            offline_access?: boolean;
            calendars?: boolean;
            calendars_update?: boolean;
            contacts_birthday?: boolean;
            contacts_create?: boolean;
            contacts_calendar?: boolean;
            contacts_photos?: boolean;
            contacts_skydrive?: boolean;
            events_create?: boolean;
            messenger?: boolean;
            phone_numbers?: boolean;
            photos?: boolean;
            share?: boolean;
            skydrive?: boolean;
            skydrive_update?: boolean;
            applications?: boolean;
            applications_create?: boolean;
            scope?: string[];
        } & {
            [key: string]: unknown;
        };
        AdfsConnectionFields: {
            /** @constant */
            strategy: "adfs";
            options: components["schemas"]["AdfsOptions"];
        };
        GoogleAppsConnectionFields: {
            /** @constant */
            strategy: "google-apps";
            options: components["schemas"]["GoogleAppsOptions"];
        };
        GoogleOAuth2ConnectionFields: {
            /** @constant */
            strategy: "google-oauth2";
            options: components["schemas"]["GoogleOAuth2Options"];
        };
        Office365ConnectionFields: {
            /** @constant */
            strategy: "office365";
            options: components["schemas"]["Office365Options"];
        };
        WindowsLiveConnectionFields: {
            /** @constant */
            strategy: "windowslive";
            options: components["schemas"]["WindowsLiveOptions"];
        };
        /**
         * @description The fields a server answers for every stored connection, whatever its strategy: those of the
         *     document's connection object (`client_id`, `name` and `status` here, `strategy` and `options`
         *     in the part of each strategy). The document shows no `id` in that object, so only the create
         *     answer must carry one (quirk 9); this description's servers answer it everywhere
         *     (`x-strict`).
         */
        StoredConnection: {
            id?: components["schemas"]["ConnectionId"];
            client_id: components["schemas"]["ClientId"];
            name: components["schemas"]["StoredConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            strategy?: components["schemas"]["Strategy"];
        };
        /** @description The fields a server answers in addition for `office365`, `google-apps` and `adfs`. */
        ProvisionedConnection: {
            provisioning_ticket: components["schemas"]["ProvisioningTicket"];
            provisioning_ticket_url: components["schemas"]["ProvisioningTicketUrl"];
        };
        /**
         * @description The social strategies (`google-oauth2`, `windowslive`). The document adds the provisioning
         *     fields only to `office365`, `google-apps` and `adfs`; a server that answers them on another
         *     strategy anyway must still give them their documented types. This description's servers
         *     never do (`x-strict`).
         */
        UnprovisionedConnection: {
            provisioning_ticket?: components["schemas"]["ProvisioningTicket"];
            provisioning_ticket_url?: components["schemas"]["ProvisioningTicketUrl"];
        };
        /**
         * adfs
         * @description An `adfs` connection, as a server answers it.
         */
        AdfsConnection: components["schemas"]["StoredConnection"] & components["schemas"]["ProvisionedConnection"] & components["schemas"]["AdfsConnectionFields"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "adfs";
        };
        /**
         * google-apps
         * @description A `google-apps` connection, as a server answers it.
         */
        GoogleAppsConnection: components["schemas"]["StoredConnection"] & components["schemas"]["ProvisionedConnection"] & components["schemas"]["GoogleAppsConnectionFields"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-apps";
        };
        /**
         * google-oauth2
         * @description A `google-oauth2` connection, as a server answers it.
         */
        GoogleOAuth2Connection: components["schemas"]["StoredConnection"] & components["schemas"]["UnprovisionedConnection"] & components["schemas"]["GoogleOAuth2ConnectionFields"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-oauth2";
        };
        /**
         * office365
         * @description An `office365` connection, as a server answers it.
         */
        Office365Connection: components["schemas"]["StoredConnection"] & components["schemas"]["ProvisionedConnection"] & components["schemas"]["Office365ConnectionFields"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "office365";
        };
        /**
         * windowslive
         * @description A `windowslive` connection, as a server answers it.
         */
        WindowsLiveConnection: components["schemas"]["StoredConnection"] & components["schemas"]["UnprovisionedConnection"] & components["schemas"]["WindowsLiveConnectionFields"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "windowslive";
        };
        /**
         * @description A connection object, as a server answers it. `strategy` selects the shape of `options`.
         *     Servers may add further properties.
         */
        Connection: components["schemas"]["AdfsConnection"] | components["schemas"]["GoogleAppsConnection"] | components["schemas"]["GoogleOAuth2Connection"] | components["schemas"]["Office365Connection"] | components["schemas"]["WindowsLiveConnection"];
        /** @description A connection object that carries its `id`, as the create answer does. */
        IdentifiedConnection: {
            id: components["schemas"]["ConnectionId"];
        };
        /**
         * adfs
         * @description An `adfs` connection, as the create answer gives it.
         */
        AdfsCreatedConnection: components["schemas"]["AdfsConnection"] & components["schemas"]["IdentifiedConnection"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "adfs";
        };
        /**
         * google-apps
         * @description A `google-apps` connection, as the create answer gives it.
         */
        GoogleAppsCreatedConnection: components["schemas"]["GoogleAppsConnection"] & components["schemas"]["IdentifiedConnection"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-apps";
        };
        /**
         * google-oauth2
         * @description A `google-oauth2` connection, as the create answer gives it.
         */
        GoogleOAuth2CreatedConnection: components["schemas"]["GoogleOAuth2Connection"] & components["schemas"]["IdentifiedConnection"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-oauth2";
        };
        /**
         * office365
         * @description An `office365` connection, as the create answer gives it.
         */
        Office365CreatedConnection: components["schemas"]["Office365Connection"] & components["schemas"]["IdentifiedConnection"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "office365";
        };
        /**
         * windowslive
         * @description A `windowslive` connection, as the create answer gives it.
         */
        WindowsLiveCreatedConnection: components["schemas"]["WindowsLiveConnection"] & components["schemas"]["IdentifiedConnection"] & {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "windowslive";
        };
        /** @description The answer to a create, a complete connection object that carries its `id`. */
        CreatedConnection: components["schemas"]["AdfsCreatedConnection"] | components["schemas"]["GoogleAppsCreatedConnection"] | components["schemas"]["GoogleOAuth2CreatedConnection"] | components["schemas"]["Office365CreatedConnection"] | components["schemas"]["WindowsLiveCreatedConnection"];
        /**
         * adfs
         * @description An `adfs` connection to create.
         */
        AdfsConnectionCreate: {
            name: components["schemas"]["ConnectionName"];
            /** @default 1 */
            status?: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "adfs";
            /** @default {} */
            options?: components["schemas"]["AdfsOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * google-apps
         * @description A `google-apps` connection to create.
         */
        GoogleAppsConnectionCreate: {
            name: components["schemas"]["ConnectionName"];
            /** @default 1 */
            status?: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-apps";
            /** @default {} */
            options?: components["schemas"]["GoogleAppsOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * google-oauth2
         * @description A `google-oauth2` connection to create.
         */
        GoogleOAuth2ConnectionCreate: {
            name: components["schemas"]["ConnectionName"];
            /** @default 1 */
            status?: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-oauth2";
            /** @default {} */
            options?: components["schemas"]["GoogleOAuth2Options"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * office365
         * @description An `office365` connection to create.
         */
        Office365ConnectionCreate: {
            name: components["schemas"]["ConnectionName"];
            /** @default 1 */
            status?: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "office365";
            /** @default {} */
            options?: components["schemas"]["Office365Options"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * windowslive
         * @description A `windowslive` connection to create.
         */
        WindowsLiveConnectionCreate: {
            name: components["schemas"]["ConnectionName"];
            /** @default 1 */
            status?: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "windowslive";
            /** @default {} */
            options?: components["schemas"]["WindowsLiveOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * @description The body of a create: `name` and `strategy` are required, and `options` must match
         *     `strategy`. `status` defaults to `1` and `options` to `{}` (quirk 16). The server-owned
         *     fields (`id`, `client_id`, `provisioning_ticket`, `provisioning_ticket_url`) may be sent and
         *     are ignored: the connection belongs to the client the token was issued to. Unknown top-level
         *     properties are ignored too (quirk 16).
         */
        ConnectionCreate: components["schemas"]["AdfsConnectionCreate"] | components["schemas"]["GoogleAppsConnectionCreate"] | components["schemas"]["GoogleOAuth2ConnectionCreate"] | components["schemas"]["Office365ConnectionCreate"] | components["schemas"]["WindowsLiveConnectionCreate"];
        /**
         * adfs
         * @description An `adfs` connection replaced in full.
         */
        AdfsConnectionReplacement: {
            name: components["schemas"]["ConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "adfs";
            options: components["schemas"]["AdfsOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * google-apps
         * @description A `google-apps` connection replaced in full.
         */
        GoogleAppsConnectionReplacement: {
            name: components["schemas"]["ConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-apps";
            options: components["schemas"]["GoogleAppsOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * google-oauth2
         * @description A `google-oauth2` connection replaced in full.
         */
        GoogleOAuth2ConnectionReplacement: {
            name: components["schemas"]["ConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "google-oauth2";
            options: components["schemas"]["GoogleOAuth2Options"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * office365
         * @description An `office365` connection replaced in full.
         */
        Office365ConnectionReplacement: {
            name: components["schemas"]["ConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "office365";
            options: components["schemas"]["Office365Options"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * windowslive
         * @description A `windowslive` connection replaced in full.
         */
        WindowsLiveConnectionReplacement: {
            name: components["schemas"]["ConnectionName"];
            status: components["schemas"]["ConnectionStatus"];
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            strategy: "windowslive";
            options: components["schemas"]["WindowsLiveOptions"];
            id?: components["schemas"]["ServerOwnedField"];
            client_id?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket?: components["schemas"]["ServerOwnedField"];
            provisioning_ticket_url?: components["schemas"]["ServerOwnedField"];
        };
        /**
         * @description The body of a replace. "All object parameters must be included, not only those which have
         *     changed": `name`, `status`, `strategy` and `options` are required. `name` must equal the
         *     name in the path and `strategy` the connection's current strategy. The server-owned fields
         *     (`id`, `client_id`, the provisioning fields) may be left out or sent back as read; they are
         *     ignored (quirk 16).
         */
        ConnectionReplacement: components["schemas"]["AdfsConnectionReplacement"] | components["schemas"]["GoogleAppsConnectionReplacement"] | components["schemas"]["GoogleOAuth2ConnectionReplacement"] | components["schemas"]["Office365ConnectionReplacement"] | components["schemas"]["WindowsLiveConnectionReplacement"];
        /** @description One identity of a user at one provider. */
        Identity: {
            /** @description The strategy of the connection the identity came through. */
            provider?: string;
            /** @description The user's identifier at that provider. */
            user_id?: string;
            /** @description The name of the connection. */
            connection?: string;
            /** @description Whether the provider is a social one. */
            isSocial?: boolean;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description A user who signed in through one of the tenant's connections. The document shows twelve
         *     fields, all of them required here with the types the document gives them; `email`, `picture`
         *     and `issuer` may be empty strings, as in the document's sample. Servers may add further
         *     properties.
         */
        User: {
            /** @description The server's internal identifier of the user. */
            _id: string;
            /** @description The user's e-mail address; may be empty. */
            email: string;
            family_name: string;
            given_name: string;
            identities: components["schemas"]["Identity"][];
            /** @description The name of the authentication server, for example the URL of an ADFS server. */
            issuer: string;
            /**
             * Format: date-time
             * @description When the user last signed in.
             */
            lastLogin: string;
            /** @description How many times the user signed in. */
            loginsCount: number;
            name: string;
            nickname: string;
            /** @description The URL of the user's gravatar, if available; may be empty. */
            picture: string;
            /**
             * @description A "friendly" unique identifier: the strategy, a `|`, and a unique identifier from the
             *     issuer (for example an e-mail address), such as `adfs|john@fabrikam.com`.
             */
            user_id: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: {
        /** @description The complete connection object, with the server-assigned fields. */
        ConnectionCreated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["CreatedConnection"];
            };
        };
        /** @description The users, as a JSON array (one page of them when the server paginates). */
        UserList: {
            headers: {
                Link: components["headers"]["Link"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["User"][];
            };
        };
        /** @description The request is invalid; `detail` says which field and why. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The access token is missing, unknown or expired. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No connection has this name. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A connection with this name already exists. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request body is larger than the server accepts. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request body is not in a media type this operation accepts. */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The server failed; the body says so without internal details. */
        ServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `unsupported_grant_type` for a grant other than `client_credentials`, `invalid_request` for a
         *     missing or repeated parameter (RFC 6749 section 5.2). A server may also answer
         *     `invalid_client` with `400`, RFC 6749's default for credentials sent in the body; this
         *     description's servers answer it with `401` (quirk 18).
         */
        OAuthBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthBadRequestError"];
            };
        };
        /** @description `invalid_client`: the client is unknown or the secret is wrong (RFC 6749 section 5.2). */
        OAuthInvalidClient: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["OAuthInvalidClientError"];
            };
        };
    };
    parameters: {
        /**
         * @description The unique name of the connection.
         * @example fabrikam-office365
         */
        ConnectionName: components["schemas"]["ConnectionName"];
        /**
         * @description Asks for pages of at most this many users. A server that paginates answers the first page
         *     and a `Link` header with `rel="next"`; a server that does not paginate ignores it.
         * @example 50
         */
        PerPage: number;
        /**
         * @description The zero-based page to answer, together with `per_page`.
         * @example 0
         */
        Page: number;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Present when the list has a further page: `<URL of the next page>; rel="next"` (RFC 8288).
         *     The URL is on the same origin as the request (clients send their token to it). Absent on
         *     the last page and on servers that do not paginate.
         * @example <https://YOUR_NAMESPACE/api/users?per_page=50&page=1>; rel="next"
         */
        Link: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
                "application/json": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description The access token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["OAuthBadRequest"];
            401: components["responses"]["OAuthInvalidClient"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every connection of the tenant. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"][];
                };
            };
            401: components["responses"]["Unauthorized"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    createConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionCreate"];
            };
        };
        responses: {
            200: components["responses"]["ConnectionCreated"];
            201: components["responses"]["ConnectionCreated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    getConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    updateConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConnectionReplacement"];
            };
        };
        responses: {
            /** @description The connection as stored after the replacement. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    deleteConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The connection was deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RemovedConnection"];
                };
            };
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listUsers: {
        parameters: {
            query?: {
                /**
                 * @description Asks for pages of at most this many users. A server that paginates answers the first page
                 *     and a `Link` header with `rel="next"`; a server that does not paginate ignores it.
                 * @example 50
                 */
                per_page?: components["parameters"]["PerPage"];
                /**
                 * @description The zero-based page to answer, together with `per_page`.
                 * @example 0
                 */
                page?: components["parameters"]["Page"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listConnectionUsers: {
        parameters: {
            query?: {
                /**
                 * @description Asks for pages of at most this many users. A server that paginates answers the first page
                 *     and a `Link` header with `rel="next"`; a server that does not paginate ignores it.
                 * @example 50
                 */
                per_page?: components["parameters"]["PerPage"];
                /**
                 * @description The zero-based page to answer, together with `per_page`.
                 * @example 0
                 */
                page?: components["parameters"]["Page"];
            };
            header?: never;
            path: {
                /**
                 * @description The unique name of the connection.
                 * @example fabrikam-office365
                 */
                connectionName: components["parameters"]["ConnectionName"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            "5XX": components["responses"]["ServerError"];
        };
    };
    listSocialConnectionUsers: {
        parameters: {
            query?: {
                /**
                 * @description Asks for pages of at most this many users. A server that paginates answers the first page
                 *     and a `Link` header with `rel="next"`; a server that does not paginate ignores it.
                 * @example 50
                 */
                per_page?: components["parameters"]["PerPage"];
                /**
                 * @description The zero-based page to answer, together with `per_page`.
                 * @example 0
                 */
                page?: components["parameters"]["Page"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["UserList"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            "5XX": components["responses"]["ServerError"];
        };
    };
}

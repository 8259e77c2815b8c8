import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange } from "../exchange.js";
import { point } from "../open-points.js";
import { tokenForm } from "../setup.js";
import type { Check } from "./check.js";
import { isRecord } from "./support.js";

const TOKEN_PATH = "/oauth/token";

/** The error codes of RFC 6749 section 5.2. */
const OAUTH_ERRORS = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
];

async function requestToken(ctx: CheckContext, form: Record<string, string>): Promise<Exchange> {
  return ctx.call({ method: "POST", path: TOKEN_PATH, auth: { kind: "none" }, form });
}

function expectToken(ctx: CheckContext, exchange: Exchange, requirement: string): string {
  ctx.expectStatus(exchange, [200], requirement);
  const body = ctx.jsonBody(
    exchange,
    `${requirement} The answer is a JSON object — "The response body of this POST is a JSON object" (API endpoint).`,
  );
  if (!isRecord(body) || typeof body.access_token !== "string" || body.access_token.length === 0) {
    ctx.fail(
      `${requirement} The answer carries a non-empty access_token — "{ 'access_token': TOKEN 'token_type':'bearer' }" (API endpoint).`,
      `The server ${describeAnswer(exchange)}.`,
      exchange,
    );
  }
  return body.access_token;
}

/** A refusal as RFC 6749 section 5.2 writes it: one of `statuses`, an `error` among `errors`. */
function expectOAuthError(
  ctx: CheckContext,
  exchange: Exchange,
  statuses: number[],
  errors: string[],
  requirement: string,
): void {
  ctx.expectStatus(exchange, statuses, requirement);
  const body = ctx.jsonBody(
    exchange,
    `${requirement} The error is a JSON object (RFC 6749 section 5.2).`,
  );
  if (!isRecord(body) || typeof body.error !== "string" || !errors.includes(body.error)) {
    ctx.fail(
      `${requirement} The body's error is ${errors.map((e) => `"${e}"`).join(" or ")} (RFC 6749 section 5.2).`,
      `The server ${describeAnswer(exchange)}.`,
      exchange,
    );
  }
}

const wrongSecret = "mgmtkit-contract-wrong-secret";

/** The statuses of invalid_client and of another grant, by each profile's reading. */
const invalidClient = (profile: "core" | "strict") => [
  ...point("token.error-status").under(profile).refusals,
];
const otherGrant = point("token.other-grant");

export const tokenChecks: Check[] = [
  {
    id: "token.form",
    profile: "core",
    title: "Form-encoded token request with type=web_server",
    requirement:
      "POST /oauth/token with the form client_id, client_secret, type=web_server and grant_type=client_credentials answers 200 and an access token.",
    source:
      '"A token is obtained using the POST method" (API endpoint); RFC 6749 section 5.1 (200)',
    needsToken: false,
    judgesSetupToken: true,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      // The run obtained its token with exactly this request before any check ran.
      const exchange =
        ctx.setupTokenExchange() ?? (await requestToken(ctx, tokenForm(credentials)));
      expectToken(
        ctx,
        exchange,
        'The token request of "A token is obtained using the POST method" (API endpoint) succeeds with 200.',
      );
    },
  },
  {
    id: "token.form-without-type",
    profile: "core",
    title: "Token request without type",
    requirement: "The same request without type=web_server also answers 200 and an access token.",
    source:
      "every example of the token request (API endpoint) sends type=web_server, but the API's own Node client of that era never sent type; spec getAccessToken",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(ctx, tokenForm(credentials, {}));
      expectToken(ctx, exchange, "A token request without type=web_server succeeds with 200.");
    },
  },
  {
    id: "token.response-shape",
    profile: "core",
    title: "Token response shape, and the token works",
    requirement:
      'The token answer is a JSON object { "access_token": "…", "token_type": "bearer" } and the token is accepted on /api.',
    source: '"The response body of this POST is a JSON object" (API endpoint)',
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(ctx, tokenForm(credentials));
      const token = expectToken(ctx, exchange, "The token request succeeds with 200.");
      ctx.expectThat(
        exchange,
        `The token answer's token_type is "bearer", compared case-insensitively — "{ 'access_token': TOKEN 'token_type':'bearer' }" (API endpoint).`,
        (json) => {
          const type = isRecord(json) ? json.token_type : undefined;
          return typeof type === "string" && type.toLowerCase() === "bearer"
            ? undefined
            : `token_type is ${JSON.stringify(type)}`;
        },
      );
      ctx.expectJsonType(
        exchange,
        'The token answer is served as application/json — "All content is returned in JSON." (API endpoint)',
      );
      const use = await ctx.call({
        method: "GET",
        path: "/api/connections",
        auth: { kind: "header", scheme: "bearer", token },
      });
      ctx.expectStatus(
        use,
        [200],
        'A token the endpoint just issued is accepted: GET /api/connections answers 200 — "Authorization: bearer {ACCESS-TOKEN}" (API endpoint).',
      );
    },
  },
  {
    id: "token.wrong-secret",
    profile: "core",
    title: "Wrong client secret refused",
    requirement:
      "A token request with a wrong client_secret is refused with 400 or 401 and error invalid_client.",
    source:
      '"A token is obtained using the POST method" (API endpoint); RFC 6749 section 5.2 (invalid_client)',
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(
        ctx,
        // Never derived from the real secret, which must not show in any report.
        tokenForm({ clientId: credentials.clientId, clientSecret: wrongSecret }),
      );
      expectOAuthError(
        ctx,
        exchange,
        invalidClient("core"),
        ["invalid_client"],
        "A wrong client_secret is refused with 400 or 401.",
      );
    },
  },
  {
    id: "token.unknown-client",
    profile: "core",
    title: "Unknown client refused",
    requirement:
      "A token request for a client_id the server does not know is refused with 400 or 401 and error invalid_client.",
    source:
      '"A token is obtained using the POST method" (API endpoint); RFC 6749 section 5.2 (invalid_client)',
    needsToken: false,
    async run(ctx) {
      const exchange = await requestToken(
        ctx,
        tokenForm({
          clientId: ctx.uniqueName("client"),
          clientSecret: "mgmtkit-contract-unknown-secret",
        }),
      );
      expectOAuthError(
        ctx,
        exchange,
        invalidClient("core"),
        ["invalid_client"],
        "An unknown client_id is refused with 400 or 401.",
      );
    },
  },
  {
    id: "token.credential-parts",
    profile: "core",
    title: "Every part of the credentials is checked",
    requirement:
      "A token request whose client_id or client_secret is the right one altered (a character changed, added or removed, the case changed, the two swapped, the secret empty) is refused with 400 or 401 and invalid_client or invalid_request; never a token.",
    source:
      '"client_id=YOUR_CLIENT_ID&client_secret=YOUR_CLIENT_SECRET" (API endpoint); RFC 6749 section 5.2',
    needsToken: false,
    async run(ctx) {
      const { clientId, clientSecret } = ctx.needCredentials();
      const flipCase = (text: string) =>
        [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
      const last = clientSecret.endsWith("x") ? "y" : "x";
      // Values derived from the secret are registered with the shell expression that rebuilds
      // them, so reports and curl lines never show them.
      const derived = (value: string, operation: string, suffix = "") => {
        ctx.rememberSecret(value, `\${MGMTKIT_CLIENT_SECRET${operation}}${suffix}`);
        return value;
      };
      const variants: Array<[string, string, string]> = [
        [
          "the secret's last character changed",
          clientId,
          derived(clientSecret.slice(0, -1) + last, "%?", last),
        ],
        ["the secret with a character added", clientId, derived(`${clientSecret}x`, "", "x")],
        [
          "the secret missing its last character",
          clientId,
          derived(clientSecret.slice(0, -1), "%?"),
        ],
        ["the secret with its case changed", clientId, derived(flipCase(clientSecret), "~~")],
        ["an empty secret", clientId, ""],
        ["the client id with a character added", `${clientId}x`, clientSecret],
        ["the client id with its case changed", flipCase(clientId), clientSecret],
        ["the client id and the secret swapped", clientSecret, clientId],
      ];
      for (const [what, id, secret] of variants) {
        // A secret of one character, or without letters, gives variants equal to the real one.
        if (
          (id === clientId && secret === clientSecret) ||
          (secret === "" && what !== "an empty secret")
        )
          continue;
        await ctx.step(async () => {
          const exchange = await requestToken(
            ctx,
            tokenForm({ clientId: id, clientSecret: secret }),
          );
          expectOAuthError(
            ctx,
            exchange,
            invalidClient("core"),
            ["invalid_client", "invalid_request"],
            `A token request with ${what} is refused.`,
          );
        });
      }
    },
  },
  {
    id: "token.unsupported-grant",
    profile: "core",
    title: "Another grant is refused",
    requirement:
      "A token request with a grant_type other than client_credentials (here password, with made-up user credentials) is refused with 400 or 401 and an RFC 6749 error; never a token.",
    source: '"grant_type=client_credentials" (API endpoint); RFC 6749 section 5.2',
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(ctx, {
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        grant_type: "password",
        username: "mgmtkit-contract",
        password: "mgmtkit-contract",
      });
      expectOAuthError(
        ctx,
        exchange,
        [...(otherGrant.under("core").refusals as number[])],
        OAUTH_ERRORS,
        "grant_type=password is refused.",
      );
    },
  },
  {
    id: "token.spec-errors",
    profile: "strict",
    title: "Token errors with the spec's statuses",
    requirement:
      "A wrong client_secret and an unknown client answer 401 invalid_client; another grant answers 400 unsupported_grant_type.",
    source: "spec getAccessToken (the document describes no error)",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const cases: Array<[string, Record<string, string>, number, string]> = [
        [
          "A wrong client_secret",
          tokenForm({ clientId: credentials.clientId, clientSecret: wrongSecret }),
          invalidClient("strict")[0] as number,
          "invalid_client",
        ],
        [
          "An unknown client_id",
          tokenForm({ clientId: ctx.uniqueName("client"), clientSecret: wrongSecret }),
          invalidClient("strict")[0] as number,
          "invalid_client",
        ],
        [
          "grant_type=password",
          { ...tokenForm(credentials, {}), grant_type: "password" },
          otherGrant.under("strict").refusals?.[0] as number,
          otherGrant.under("strict").error as string,
        ],
      ];
      for (const [what, form, status, error] of cases) {
        await ctx.step(async () => {
          const exchange = await requestToken(ctx, form);
          expectOAuthError(ctx, exchange, [status], [error], `${what} answers ${status} ${error}.`);
        });
      }
    },
  },
  {
    id: "token.json-body",
    profile: "strict",
    title: "Token request as a JSON body",
    requirement: "The token endpoint also accepts the same parameters as a JSON object.",
    source: "spec getAccessToken (application/json request body; the document shows only the form)",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await ctx.call({
        method: "POST",
        path: TOKEN_PATH,
        auth: { kind: "none" },
        json: {
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          grant_type: "client_credentials",
        },
      });
      expectToken(ctx, exchange, "A JSON token request succeeds with 200.");
    },
  },
  {
    id: "token.missing-parameter",
    profile: "strict",
    title: "Missing parameter refused",
    requirement: "A token request without client_secret answers 400 with error invalid_request.",
    source: "spec getAccessToken; RFC 6749 section 5.2",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(ctx, {
        client_id: credentials.clientId,
        grant_type: "client_credentials",
      });
      expectOAuthError(
        ctx,
        exchange,
        [400],
        ["invalid_request"],
        "A token request without client_secret is refused with 400.",
      );
    },
  },
];

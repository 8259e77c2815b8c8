import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange } from "../exchange.js";
import { tokenForm } from "../setup.js";
import type { Check } from "./check.js";
import { isRecord } from "./support.js";

const TOKEN_PATH = "/oauth/token";

async function requestToken(ctx: CheckContext, form: Record<string, string>): Promise<Exchange> {
  return ctx.call({ method: "POST", path: TOKEN_PATH, auth: { kind: "none" }, form });
}

function expectToken(ctx: CheckContext, exchange: Exchange, requirement: string): string {
  ctx.expectStatus(exchange, [200], requirement);
  const body = ctx.jsonBody(exchange, `${requirement} The answer is a JSON object (line 18).`);
  if (!isRecord(body) || typeof body.access_token !== "string" || body.access_token.length === 0) {
    ctx.fail(
      `${requirement} The answer carries a non-empty access_token (line 20).`,
      `The server ${describeAnswer(exchange)}.`,
      exchange,
    );
  }
  return body.access_token;
}

function expectOAuthError(
  ctx: CheckContext,
  exchange: Exchange,
  status: number,
  error: string,
  requirement: string,
): void {
  ctx.expectStatus(exchange, [status], requirement);
  const body = ctx.jsonBody(
    exchange,
    `${requirement} The error is a JSON object (spec: RFC 6749 section 5.2).`,
  );
  if (!isRecord(body) || body.error !== error) {
    ctx.fail(
      `${requirement} The body's error is "${error}" (spec: RFC 6749 section 5.2).`,
      `The server ${describeAnswer(exchange)}.`,
      exchange,
    );
  }
}

export const tokenChecks: Check[] = [
  {
    id: "token.form",
    profile: "core",
    title: "Form-encoded token request with type=web_server",
    requirement:
      "POST /oauth/token with the form client_id, client_secret, type=web_server and grant_type=client_credentials answers 200 and an access token.",
    source: "lines 14-16 (API endpoint: a token is obtained using the POST method)",
    needsToken: false,
    judgesSetupToken: true,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      // The run obtained its token with exactly this request before any check ran.
      const exchange =
        ctx.setupTokenExchange() ?? (await requestToken(ctx, tokenForm(credentials)));
      expectToken(ctx, exchange, "The token request of line 16 succeeds with 200.");
    },
  },
  {
    id: "token.form-without-type",
    profile: "core",
    title: "Token request without the optional type",
    requirement: "The same request without type=web_server also answers 200 and an access token.",
    source: "line 16; spec getAccessToken (type=web_server is optional)",
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
    source: "lines 18-20 (the response body of this POST is a JSON object)",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(ctx, tokenForm(credentials));
      const token = expectToken(ctx, exchange, "The token request succeeds with 200.");
      ctx.expectThat(
        exchange,
        'The token answer\'s token_type is "bearer" (line 20; compared case-insensitively).',
        (json) => {
          const type = isRecord(json) ? json.token_type : undefined;
          return typeof type === "string" && type.toLowerCase() === "bearer"
            ? undefined
            : `token_type is ${JSON.stringify(type)}`;
        },
      );
      ctx.expectJsonType(exchange, "The token answer is served as application/json (line 27).");
      const use = await ctx.call({
        method: "GET",
        path: "/api/connections",
        auth: { kind: "header", scheme: "bearer", token },
      });
      ctx.expectStatus(
        use,
        [200],
        "A token the endpoint just issued is accepted: GET /api/connections answers 200 (lines 10-12).",
      );
    },
  },
  {
    id: "token.wrong-secret",
    profile: "core",
    title: "Wrong client secret refused",
    requirement:
      "A token request with a wrong client_secret answers 401 with error invalid_client.",
    source: "line 16; spec getAccessToken (RFC 6749 section 5.2)",
    needsToken: false,
    async run(ctx) {
      const credentials = ctx.needCredentials();
      const exchange = await requestToken(
        ctx,
        tokenForm({
          clientId: credentials.clientId,
          // Never derived from the real secret, which must not show in any report.
          clientSecret: "mgmtkit-contract-wrong-secret",
        }),
      );
      expectOAuthError(
        ctx,
        exchange,
        401,
        "invalid_client",
        "A wrong client_secret is refused with 401.",
      );
    },
  },
  {
    id: "token.unknown-client",
    profile: "core",
    title: "Unknown client refused",
    requirement:
      "A token request for a client_id the server does not know answers 401 with error invalid_client.",
    source: "line 16; spec getAccessToken (RFC 6749 section 5.2)",
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
        401,
        "invalid_client",
        "An unknown client_id is refused with 401.",
      );
    },
  },
  {
    id: "token.unsupported-grant",
    profile: "core",
    title: "Unsupported grant refused",
    requirement:
      "A token request with a grant_type other than client_credentials answers 400 with error unsupported_grant_type.",
    source: "line 16 (grant_type=client_credentials); spec getAccessToken",
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
        400,
        "unsupported_grant_type",
        "grant_type=password is refused with 400.",
      );
    },
  },
  {
    id: "token.json-body",
    profile: "strict",
    title: "Token request as a JSON body",
    requirement: "The token endpoint also accepts the same parameters as a JSON object.",
    source: "line 16; spec getAccessToken (application/json request body)",
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
    source: "line 16; spec getAccessToken (RFC 6749 section 5.2)",
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
        400,
        "invalid_request",
        "A token request without client_secret is refused with 400.",
      );
    },
  },
];

import type { CheckContext } from "../context.js";
import type { AuthMode, RequestSpec } from "../transport.js";
import { createBody, replacementOptions } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, remove } from "./support.js";

interface ApiCall {
  label: string;
  request: RequestSpec;
  /** The statuses that mean the request was accepted. */
  success: number[];
}

/** One request to each of the eight /api operations, on a connection the suite created. */
function everyOperation(
  ctx: CheckContext,
  name: string,
  clientId: string,
  auth: AuthMode,
): ApiCall[] {
  const replacement = { ...createBody(name), client_id: clientId };
  replacement.options = replacementOptions("google-oauth2");
  return [
    {
      label: "GET /api/connections",
      request: { method: "GET", path: "/api/connections", auth },
      success: [200],
    },
    {
      label: "POST /api/connections",
      request: {
        method: "POST",
        path: "/api/connections",
        auth,
        json: createBody(ctx.uniqueName("auth")),
      },
      success: [200, 201],
    },
    {
      label: "GET /api/connections/{name}",
      request: { method: "GET", path: encodeName(name), auth },
      success: [200],
    },
    {
      label: "PUT /api/connections/{name}",
      request: { method: "PUT", path: encodeName(name), auth, json: replacement },
      success: [200],
    },
    {
      label: "GET /api/connections/{name}/users",
      request: { method: "GET", path: `${encodeName(name)}/users`, auth },
      success: [200],
    },
    {
      label: "GET /api/users",
      request: { method: "GET", path: "/api/users", auth },
      success: [200],
    },
    {
      label: "GET /api/socialconnections/users",
      request: { method: "GET", path: "/api/socialconnections/users", auth },
      success: [200],
    },
    // Last, so that the connection the other calls use still exists.
    {
      label: "DELETE /api/connections/{name}",
      request: { method: "DELETE", path: encodeName(name), auth },
      success: [200],
    },
  ];
}

function clientIdOf(ctx: CheckContext, body: Record<string, unknown>): string {
  return typeof body.client_id === "string" ? body.client_id : (ctx.clientId ?? "");
}

/** Every /api operation refuses the request with 401 (a body, if any, is JSON: the validators say so). */
async function expectRefusedEverywhere(
  ctx: CheckContext,
  auth: AuthMode,
  how: string,
  source: string,
) {
  const target = await createConnection(ctx, "auth-target");
  try {
    for (const call of everyOperation(ctx, target.name, clientIdOf(ctx, target.body), auth)) {
      await ctx.step(async () => {
        const exchange = await ctx.call(call.request);
        ctx.expectStatus(exchange, [401], `${call.label} ${how} is refused with 401 (${source}).`);
      });
    }
  } finally {
    await remove(ctx, target.name);
  }
}

/** Every /api operation accepts the token sent this way. */
async function expectAcceptedEverywhere(
  ctx: CheckContext,
  auth: AuthMode,
  how: string,
  source: string,
) {
  const target = await createConnection(ctx, "auth-target");
  for (const call of everyOperation(ctx, target.name, clientIdOf(ctx, target.body), auth)) {
    await ctx.step(async () => {
      const exchange = await ctx.call(call.request);
      ctx.expectStatus(
        exchange,
        call.success,
        `${call.label} with the token ${how} is accepted and answers ${call.success.join(" or ")} (${source}).`,
      );
    });
  }
}

export const authChecks: Check[] = [
  {
    id: "auth.missing-token",
    profile: "core",
    title: "No token: 401 on every /api operation",
    requirement: "Every /api operation without an access token answers 401.",
    source:
      '"Each API request must include an access token" (API endpoint); RFC 6750 section 3.1 (401 for a missing token)',
    async run(ctx) {
      await expectRefusedEverywhere(
        ctx,
        { kind: "none" },
        "without a token",
        '"Each API request must include an access token" (API endpoint); RFC 6750',
      );
    },
  },
  {
    id: "auth.garbage-token",
    profile: "core",
    title: "Unknown token: 401 on every /api operation",
    requirement:
      "Every /api operation with a token the server never issued, in the header or the query, answers 401.",
    source:
      '"Each API request must include an access token, either inside the query string: or in an Authorization header" (API endpoint); RFC 6750 section 3.1 (invalid_token: 401)',
    async run(ctx) {
      const garbage = `mgmtkit-contract-not-a-token-${ctx.runId}`;
      await expectRefusedEverywhere(
        ctx,
        { kind: "header", scheme: "bearer", token: garbage },
        "with an unknown token in the Authorization header",
        '"or in an Authorization header" (API endpoint); RFC 6750',
      );
      await expectRefusedEverywhere(
        ctx,
        { kind: "query", token: garbage },
        "with an unknown token in the access_token query parameter",
        '"either inside the query string" (API endpoint); RFC 6750',
      );
    },
  },
  {
    id: "auth.bearer-lowercase",
    profile: "core",
    title: "Authorization: bearer <token> accepted",
    requirement:
      "Every /api operation accepts the token as `Authorization: bearer {ACCESS-TOKEN}`, as the document writes it.",
    source: '"Authorization: bearer {ACCESS-TOKEN}" (API endpoint)',
    async run(ctx) {
      await expectAcceptedEverywhere(
        ctx,
        { kind: "header", scheme: "bearer" },
        "as `Authorization: bearer …`",
        '"Authorization: bearer {ACCESS-TOKEN}" (API endpoint)',
      );
    },
  },
  {
    id: "auth.bearer-capitalized",
    profile: "core",
    title: "Authorization: Bearer <token> accepted",
    requirement:
      "Every /api operation accepts `Authorization: Bearer {ACCESS-TOKEN}` too: the scheme word is case-insensitive.",
    source:
      '"Authorization: bearer {ACCESS-TOKEN}" (API endpoint); spec quirk 7 (RFC 7235: the scheme is case-insensitive)',
    async run(ctx) {
      await expectAcceptedEverywhere(
        ctx,
        { kind: "header", scheme: "Bearer" },
        "as `Authorization: Bearer …`",
        '"Authorization: bearer {ACCESS-TOKEN}" (API endpoint); RFC 7235',
      );
    },
  },
  {
    id: "auth.query-token",
    profile: "core",
    title: "?access_token=<token> accepted",
    requirement:
      "Every /api operation accepts the token as the access_token query parameter instead of the header.",
    source:
      '"either inside the query string" (API endpoint); "GET https://YOUR_NAMESPACE/api/connections/?access_token={ACCESS-TOKEN}" (List all Connections); "DELETE https://YOUR_NAMESPACE/api/connections/{A-CONNECTION-NAME}/?access_token=..." (Delete a connection)',
    async run(ctx) {
      await expectAcceptedEverywhere(
        ctx,
        { kind: "query" },
        "in the access_token query parameter",
        '"either inside the query string" (API endpoint)',
      );
    },
  },
  {
    id: "auth.token-variants",
    profile: "core",
    title: "The whole token is checked",
    requirement:
      "GET /api/connections with the run's token altered (a character added, removed or changed, its case changed, the scheme alone, or the token twice) answers 401.",
    source: '"Each API request must include an access token" (API endpoint); RFC 6750 section 3.1',
    async run(ctx) {
      const token = ctx.runToken();
      const flip = (text: string) =>
        [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join("");
      const last = token.endsWith("x") ? "y" : "x";
      // Values derived from the token are registered with the shell expression that rebuilds
      // them, so reports and curl lines never show them.
      const derived = (value: string, operation: string, suffix = "") => {
        ctx.rememberSecret(value, `\${MGMTKIT_TOKEN${operation}}${suffix}`);
        return value;
      };
      const variants: Array<[string, string]> = [
        ["with a character added", derived(`${token}x`, "", "x")],
        ["missing its last character", derived(token.slice(0, -1), "%?")],
        ["with its last character changed", derived(token.slice(0, -1) + last, "%?", last)],
        ["with its case changed", derived(flip(token), "~~")],
        ["empty", ""],
        ["twice", `${token} ${token}`],
      ];
      for (const [what, altered] of variants) {
        if (altered === token) continue;
        await ctx.step(async () => {
          const exchange = await ctx.call({
            method: "GET",
            path: "/api/connections",
            auth: { kind: "header", scheme: "bearer", token: altered },
          });
          ctx.expectStatus(
            exchange,
            [401],
            `GET /api/connections with the access token ${what} answers 401.`,
          );
        });
      }
    },
  },
  {
    id: "auth.other-header",
    profile: "strict",
    title: "No other header carries the token",
    requirement:
      "A token sent in any header but Authorization (here X-Access-Token) is not accepted: 401.",
    source: '"The Authorization header is the only accepted header" (API endpoint); spec quirk 7',
    async run(ctx) {
      const exchange = await ctx.call({
        method: "GET",
        path: "/api/connections",
        auth: { kind: "other-header", name: "X-Access-Token" },
      });
      ctx.expectStatus(
        exchange,
        [401],
        'GET /api/connections with the token only in X-Access-Token answers 401 — "The Authorization header is the only accepted header" (API endpoint).',
      );
    },
  },
];

import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange, statusIn } from "../exchange.js";
import type { AuthMode, RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, unlikeShown } from "./support.js";

/**
 * Requests the document neither describes nor forbids, as clients and tools of every era send
 * them: a method the server may not implement, client credentials in HTTP Basic, a body that
 * starts with a byte-order mark, the token in the header and the query at once. A server may take
 * them or refuse them; it never fails on them (5xx), and a token it never issued never lets a
 * request through.
 */

/** A value no server issued as a token, different for each use. */
const notIssued = (ctx: CheckContext, label: string) =>
  `mgmtkit-contract-not-a-token-${ctx.runId}-${label}`;

/**
 * Sends a request whose method the server may not implement and judges the answer: any status but
 * a server failure, where 501 Not Implemented is the server saying so (RFC 9110 section 15.6.2),
 * and what the response validators require of every answer.
 */
async function sendOdd(
  ctx: CheckContext,
  req: RequestSpec,
  requirement: string,
  allowed: Array<number | string>,
): Promise<Exchange> {
  const exchange = await ctx.probe(req);
  if (exchange.stopped) ctx.skip("the run stopped before the check finished");
  if (exchange.status === undefined || exchange.transportError) {
    ctx.fail(
      `${requirement} The server answers completely, within the deadline.`,
      `The server ${exchange.transportError ?? "did not answer"}.`,
      exchange,
    );
  }
  const found = ctx
    .judge(exchange)
    .filter((f) => f.type !== "response.server-error" || exchange.status !== 501);
  const first = found[0];
  if (first) ctx.fail(first.requirement, first.observed, exchange);
  if (!statusIn(exchange.status, allowed)) {
    ctx.fail(requirement, `The server ${describeAnswer(exchange)}.`, exchange);
  }
  return exchange;
}

/** Fails unless GET of the connection still shows the status it was created with. */
async function stillAsCreated(
  ctx: CheckContext,
  name: string,
  status: number,
  requirement: string,
): Promise<void> {
  const got = await ctx.call({ method: "GET", path: encodeName(name) });
  ctx.expectStatus(got, [200], requirement);
  ctx.expectLike(got, { name, status }, requirement);
}

const NOT_SUCCESS = ["4xx", 501];
const ANY_BUT_FAILURE = ["2xx", "4xx", 501];

async function otherMethods(ctx: CheckContext): Promise<void> {
  const { name, body } = await createConnection(ctx, "methods");
  const status = body.status === 0 ? 0 : 1;
  const patch = (auth: AuthMode): RequestSpec => ({
    method: "PATCH",
    path: encodeName(name),
    auth,
    json: { status: 1 - status },
  });
  try {
    await ctx.step(async () => {
      await sendOdd(
        ctx,
        patch({ kind: "header", scheme: "bearer" }),
        "PATCH /api/connections/{name}, a method the document does not list, is answered without a server failure (a 4xx or 501 where the server does not implement it).",
        ANY_BUT_FAILURE,
      );
      // Whatever it did with the PATCH, the connection is put back as created for what follows.
      await ctx.call({ method: "PUT", path: encodeName(name), json: createBody(name) });
    });
    for (const [how, auth] of [
      ["without a token", { kind: "none" }],
      [
        "with a token the server never issued",
        { kind: "header", scheme: "bearer", token: notIssued(ctx, "patch") },
      ],
      [
        "with a never-issued token in the query",
        { kind: "query", token: notIssued(ctx, "patch-q") },
      ],
    ] as Array<[string, AuthMode]>) {
      await ctx.step(async () => {
        await sendOdd(
          ctx,
          patch(auth),
          `PATCH /api/connections/{name} ${how} is refused (a 4xx, or 501): each API request must include an access token.`,
          NOT_SUCCESS,
        );
        await stillAsCreated(
          ctx,
          name,
          createBody(name).status,
          `A PATCH ${how} changes nothing: GET shows the connection as it was.`,
        );
      });
    }
    await ctx.step(async () => {
      await sendOdd(
        ctx,
        {
          method: "HEAD",
          path: "/api/connections",
          auth: { kind: "header", scheme: "bearer", token: notIssued(ctx, "head") },
        },
        "HEAD /api/connections with a token the server never issued is refused (a 4xx, or 501): each API request must include an access token.",
        NOT_SUCCESS,
      );
    });
    for (const [how, auth] of [
      ["", { kind: "header", scheme: "bearer" }],
      [
        " with a token the server never issued",
        { kind: "header", scheme: "bearer", token: notIssued(ctx, "batch") },
      ],
    ] as Array<[string, AuthMode]>) {
      await ctx.step(async () => {
        await sendOdd(
          ctx,
          { method: "DELETE", path: "/api/connections", auth },
          `DELETE /api/connections${how}, a batch delete, is refused (a 4xx, or 501): "Batch operations are not yet supported".`,
          NOT_SUCCESS,
        );
        await sendOdd(
          ctx,
          { method: "PUT", path: "/api/connections", auth, json: [createBody(name)] },
          `PUT /api/connections${how}, a batch replace, is refused (a 4xx, or 501): "Batch operations are not yet supported".`,
          NOT_SUCCESS,
        );
        await stillAsCreated(
          ctx,
          name,
          createBody(name).status,
          "A refused batch operation removes and changes nothing: GET still shows the connection as created.",
        );
      });
    }
  } finally {
    await remove(ctx, name);
  }
}

/** `Authorization: Basic` with these credentials (RFC 6749 section 2.3.1: each form-encoded first). */
function basic(ctx: CheckContext, id: string, secret: string, expression: string): string {
  const encode = (text: string) => encodeURIComponent(text).replaceAll("%20", "+");
  const value = `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString("base64")}`;
  ctx.rememberSecret(value, expression);
  return value;
}

async function tokenBasic(ctx: CheckContext): Promise<void> {
  const { clientId, clientSecret } = ctx.needCredentials();
  const grant = { grant_type: "client_credentials" };
  const rebuild = (secret: string) =>
    `Basic $(printf '%s:%s' "$MGMTKIT_CLIENT_ID" "${secret}" | base64 | tr -d '\\n')`;
  await ctx.step(async () => {
    const exchange = await ctx.call({
      method: "POST",
      path: "/oauth/token",
      auth: { kind: "none" },
      headers: {
        Authorization: basic(ctx, clientId, clientSecret, rebuild("$MGMTKIT_CLIENT_SECRET")),
      },
      form: grant,
    });
    ctx.expectStatus(
      exchange,
      [200, 400, 401],
      "A token request whose client credentials are in HTTP Basic (RFC 6749 section 2.3.1) is answered with a token, or refused with 400 or 401 by a server that takes them only in the form.",
    );
    if (exchange.status !== 200) return;
    const token = isRecord(exchange.json) ? exchange.json.access_token : undefined;
    if (typeof token !== "string" || token === "") {
      ctx.fail(
        "A token answer is a JSON object with an access_token.",
        `The server ${describeAnswer(exchange)}.`,
        exchange,
      );
    }
    const use = await ctx.call({
      method: "GET",
      path: "/api/connections",
      auth: { kind: "header", scheme: "bearer", token },
    });
    ctx.expectStatus(use, [200], "A token the server issued is accepted on /api.");
  });
  const wrong: Array<[string, string, string]> = [
    ["a wrong client_secret", clientId, `${clientSecret}x`],
    ["an unknown client_id", `${clientId}-unknown`, clientSecret],
    ["an empty client_secret", clientId, ""],
  ];
  for (const [what, id, secret] of wrong) {
    await ctx.step(async () => {
      const expression =
        secret === ""
          ? `Basic $(printf '%s:' "$MGMTKIT_CLIENT_ID" | base64 | tr -d '\\n')`
          : id === clientId
            ? rebuild("$MGMTKIT_CLIENT_SECRET" + "x")
            : `Basic $(printf '%s-unknown:%s' "$MGMTKIT_CLIENT_ID" "$MGMTKIT_CLIENT_SECRET" | base64 | tr -d '\\n')`;
      const exchange = await ctx.call({
        method: "POST",
        path: "/oauth/token",
        auth: { kind: "none" },
        headers: { Authorization: basic(ctx, id, secret, expression) },
        form: grant,
      });
      ctx.expectStatus(
        exchange,
        [400, 401],
        `A token request with ${what} in HTTP Basic, and no credentials in the form, is refused with 400 or 401: never a token.`,
      );
    });
  }
}

const BOM = "\uFEFF";

async function byteOrderMark(ctx: CheckContext): Promise<void> {
  const name = ctx.uniqueName("bom");
  const sent = createBody(name);
  const json = { "Content-Type": "application/json" };
  try {
    await ctx.step(async () => {
      const created = await ctx.call({
        method: "POST",
        path: "/api/connections",
        headers: json,
        raw: `${BOM}${JSON.stringify(sent)}`,
      });
      ctx.expectStatus(
        created,
        [200, 201, "4xx"],
        "A create whose JSON body starts with a byte-order mark is taken (RFC 8259 section 8.1: a parser may ignore it) or refused with a 4xx, never a server failure.",
      );
      if (created.status !== 200 && created.status !== 201) return;
      ctx.expectThat(
        created,
        "A create taken with a byte-order mark answers the connection as sent.",
        (body) => unlikeShown(body, sent),
      );
      const replaced = { ...sent, status: sent.status === 1 ? 0 : 1 };
      const put = await ctx.call({
        method: "PUT",
        path: encodeName(name),
        headers: json,
        raw: `${BOM}${JSON.stringify(replaced)}`,
      });
      ctx.expectStatus(
        put,
        [200, "4xx"],
        "A replace whose JSON body starts with a byte-order mark is taken or refused with a 4xx, never a server failure.",
      );
    });
  } finally {
    await remove(ctx, name);
  }
  await ctx.step(async () => {
    const other = ctx.uniqueName("bom-refused");
    const refused = await ctx.call({
      method: "POST",
      path: "/api/connections",
      auth: { kind: "header", scheme: "bearer", token: notIssued(ctx, "bom") },
      headers: json,
      raw: `${BOM}${JSON.stringify(createBody(other))}`,
    });
    if (refused.status !== undefined && refused.status < 300) await remove(ctx, other);
    ctx.expectStatus(
      refused,
      ["4xx"],
      "A create with a byte-order mark and a token the server never issued is refused with a 4xx.",
    );
  });
  await ctx.step(async () => {
    const { clientId, clientSecret } = ctx.needCredentials();
    const token = await ctx.call({
      method: "POST",
      path: "/oauth/token",
      auth: { kind: "none" },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      raw: `${BOM}${new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: "client_credentials" })}`,
    });
    ctx.expectStatus(
      token,
      [200, 400, 401],
      "A token request whose form starts with a byte-order mark is answered with a token or refused with 400 or 401, never a server failure.",
    );
  });
}

async function tokenTwice(ctx: CheckContext): Promise<void> {
  const token = ctx.runToken();
  const header = (value: string) => ({ Authorization: `bearer ${value}` });
  const cases: Array<[string, string, string, Array<number | string>]> = [
    ["the run's token in both", token, token, [200, "4xx"]],
    [
      "a never-issued token in the header, the run's in the query",
      notIssued(ctx, "h"),
      token,
      [200, "4xx"],
    ],
    [
      "the run's token in the header, a never-issued one in the query",
      token,
      notIssued(ctx, "q"),
      [200, "4xx"],
    ],
    [
      "the same never-issued token in both",
      notIssued(ctx, "both"),
      notIssued(ctx, "both"),
      ["4xx"],
    ],
    ["two different never-issued tokens", notIssued(ctx, "h2"), notIssued(ctx, "q2"), ["4xx"]],
  ];
  for (const [what, inHeader, inQuery, allowed] of cases) {
    await ctx.step(async () => {
      const list = await ctx.call({
        method: "GET",
        path: "/api/connections",
        auth: { kind: "query", token: inQuery },
        headers: header(inHeader),
      });
      ctx.expectStatus(
        list,
        allowed,
        `GET /api/connections with ${what} (the Authorization header and the access_token query parameter) is ${allowed.length === 1 ? "refused with a 4xx: no never-issued token lets a request in" : "answered with 200 or refused with a 4xx"}, never a server failure.`,
      );
      const name = ctx.uniqueName("twice");
      const created = await ctx.call({
        method: "POST",
        path: "/api/connections",
        auth: { kind: "query", token: inQuery },
        headers: header(inHeader),
        json: createBody(name),
      });
      if (created.status !== undefined && created.status < 300) await remove(ctx, name);
      ctx.expectStatus(
        created,
        allowed.map((s) => (s === 200 ? "2xx" : s)),
        `POST /api/connections with ${what} is ${allowed.length === 1 ? "refused with a 4xx" : "taken or refused with a 4xx"}, never a server failure.`,
      );
    });
  }
}

export const robustnessChecks: Check[] = [
  {
    id: "robustness.other-methods",
    profile: "core",
    title: "Methods the document does not list: no failure, no way in",
    requirement:
      "PATCH /api/connections/{name}, HEAD /api/connections, and DELETE or PUT of /api/connections (batch operations) are answered without a server failure (a 4xx, or 501 Not Implemented); without a token or with one the server never issued they are refused and change nothing; a batch delete or replace is refused and the connections stay as they were.",
    source:
      '"Each API request must include an access token"; the Verb/URL table of the connection methods; "Note: Batch operations are not yet supported."; RFC 9110 sections 9.1 and 15.6.2',
    async run(ctx) {
      await otherMethods(ctx);
    },
  },
  {
    id: "robustness.token-basic",
    profile: "core",
    title: "Client credentials in HTTP Basic: a working token or a refusal",
    requirement:
      "POST /oauth/token with the client credentials in HTTP Basic answers a token that works on /api, or 400 or 401; with a wrong secret, an unknown client or an empty secret in Basic it answers 400 or 401, never a token and never a server failure.",
    source:
      '"A token is obtained using the POST method" with client_id and client_secret in the form; RFC 6749 section 2.3.1 (HTTP Basic for client credentials)',
    async run(ctx) {
      await tokenBasic(ctx);
    },
  },
  {
    id: "robustness.byte-order-mark",
    profile: "core",
    title: "A body that starts with a byte-order mark: taken as sent, or refused",
    requirement:
      "A create or replace whose JSON body starts with a byte-order mark, and a token request whose form does, are taken (a create then answers the connection as sent) or refused with a 4xx, never a server failure; with a token the server never issued such a create is refused.",
    source:
      '"The body of the request is formatted as a connection object"; "Content-Type: application/json"; RFC 8259 section 8.1 (a parser may ignore a byte-order mark)',
    async run(ctx) {
      await byteOrderMark(ctx);
    },
  },
  {
    id: "robustness.token-twice",
    profile: "core",
    title: "A token in the header and the query: never a failure, never a stranger's token",
    requirement:
      "A request with a token in the Authorization header and another in the access_token query parameter is answered with 200 (a create 2xx) or refused with a 4xx, never a server failure; when neither is a token the server issued, it is refused with a 4xx and creates nothing.",
    source:
      '"The Authorization header is the only accepted header and is used in place of the query string to send the access_token"; RFC 6750 section 2 (clients use one method)',
    async run(ctx) {
      await tokenTwice(ctx);
    },
  },
];

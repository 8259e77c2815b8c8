import type { CheckContext } from "../context.js";
import { point } from "../open-points.js";
import type { RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { createConnection, encodeName, isRecord, remove, removeIfCreated } from "./support.js";

const REFUSED = ["4xx"];

/** Sends each invalid request and expects a 4xx refusal (never a 5xx, never a success). */
async function expectRefusals(
  ctx: CheckContext,
  cases: Array<{ label: string; request: RequestSpec }>,
  allowed: Array<number | string>,
  source: string,
): Promise<void> {
  for (const { label, request } of cases) {
    await ctx.step(async () => {
      const exchange = await ctx.call(request);
      await removeIfCreated(ctx, request, exchange);
      ctx.expectStatus(
        exchange,
        allowed,
        `${label} is refused with ${allowed.join(" or ").replace("4xx", "a 4xx status")}, never accepted and never a 5xx (${source}).`,
      );
    });
  }
}

function create(body: unknown): RequestSpec {
  return { method: "POST", path: "/api/connections", json: body };
}

export const negativeChecks: Check[] = [
  {
    id: "negative.malformed-json",
    profile: "core",
    title: "Malformed JSON refused with 4xx",
    requirement:
      "A create or a PUT whose body is not valid JSON is refused with a 4xx status, never a 5xx.",
    source:
      'line 140 ("Content-Type: application/json"); spec createConnection/updateConnection 400',
    async run(ctx) {
      const name = ctx.uniqueName("malformed");
      // Raw text on purpose: a JSON body would be serialised into valid JSON.
      const broken = `{"name": "${name}", "status": 0, "strategy": "google-oauth2", "options": {`;
      const { name: existing } = await createConnection(ctx, "malformed-target");
      try {
        await expectRefusals(
          ctx,
          [
            {
              label: "POST /api/connections with a truncated JSON body",
              request: {
                method: "POST",
                path: "/api/connections",
                raw: broken,
                headers: { "Content-Type": "application/json" },
              },
            },
            {
              label: "PUT /api/connections/{name} with a truncated JSON body",
              request: {
                method: "PUT",
                path: encodeName(existing),
                raw: broken,
                headers: { "Content-Type": "application/json" },
              },
            },
          ],
          REFUSED,
          "line 140",
        );
      } finally {
        await remove(ctx, existing);
      }
    },
  },
  {
    id: "negative.missing-fields",
    profile: "core",
    title:
      "A create without name or strategy is refused; without status or options, refused or defaulted",
    requirement:
      "A create without name or strategy is refused with a 4xx; one without status or without options is refused with a 4xx, or creates a connection with status 0 or 1 and an options object.",
    source:
      "lines 54-57 (the name addresses the connection, the strategy selects its options); lines 142-146 leave status and options open (open points create.status-omitted, create.options-omitted)",
    async run(ctx) {
      const without = (field: string) => {
        const body: Record<string, unknown> = { ...createBody(ctx.uniqueName(`no-${field}`)) };
        delete body[field];
        return { label: `A create without ${field}`, request: create(body) };
      };
      await expectRefusals(ctx, [without("name"), without("strategy")], REFUSED, "lines 54-57");
      const defaults: unknown[] = [...point("create.status-omitted").under("core").statuses];
      for (const field of ["status", "options"]) {
        await ctx.step(async () => {
          const { label, request } = without(field);
          const exchange = await ctx.call(request);
          await removeIfCreated(ctx, request, exchange);
          ctx.expectStatus(
            exchange,
            [200, 201, "4xx"],
            `${label} is refused with a 4xx or creates the connection with a default (lines 142-146).`,
          );
          if (exchange.status === 200 || exchange.status === 201) {
            ctx.expectThat(
              exchange,
              `${label}, when accepted, creates a connection with status 0 or 1 and an options object (lines 55, 57).`,
              (json) =>
                isRecord(json) && defaults.includes(json.status) && isRecord(json.options)
                  ? undefined
                  : "status or options is missing or invalid",
            );
          }
        });
      }
    },
  },
  {
    id: "negative.unknown-strategy",
    profile: "core",
    title: "Unknown strategy refused with 4xx",
    requirement:
      "A create with a strategy outside the documented five is refused with a 4xx status.",
    source: "lines 60-65 (supported strategies)",
    async run(ctx) {
      const body = {
        ...createBody(ctx.uniqueName("strategy")),
        strategy: "mgmtkit-contract-unknown",
      };
      await expectRefusals(
        ctx,
        [{ label: 'A create with strategy "mgmtkit-contract-unknown"', request: create(body) }],
        REFUSED,
        "lines 60-65",
      );
    },
  },
  {
    id: "negative.wrong-types",
    profile: "core",
    title: "Wrongly typed fields refused with 4xx",
    requirement:
      "A create whose status is a string, whose options is not an object, or whose name is a number is refused with a 4xx status.",
    source: "lines 49-57 (status 0 or 1, options an object); spec ConnectionCreate",
    async run(ctx) {
      const cases = [
        { label: 'A create with status "1" (a string)', patch: { status: "1" } },
        { label: 'A create with options "none" (a string)', patch: { options: "none" } },
        { label: "A create with name 42 (a number)", patch: { name: 42 } },
      ].map(({ label, patch }) => ({
        label,
        request: create({ ...createBody(ctx.uniqueName("types")), ...patch }),
      }));
      await expectRefusals(ctx, cases, REFUSED, "lines 49-57");
    },
  },
  {
    id: "negative.status-out-of-range",
    profile: "core",
    title: "Status other than 0 or 1 refused with 4xx",
    requirement:
      "A create with status 2 or -1 is refused with a 4xx status: status is active 1 or not 0.",
    source: 'line 55 ("Defines whether the connection is active 1 or not 0")',
    async run(ctx) {
      const cases = [2, -1].map((status) => ({
        label: `A create with status ${status}`,
        request: create({ ...createBody(ctx.uniqueName("status")), status }),
      }));
      await expectRefusals(ctx, cases, REFUSED, "line 55");
    },
  },
  {
    id: "negative.unsupported-media-type",
    profile: "strict",
    title: "A body that is not application/json refused with 415",
    requirement: "A create sent as text/plain is refused with 415.",
    source: 'line 140 ("Content-Type: application/json"); spec createConnection 415',
    async run(ctx) {
      const raw = JSON.stringify(createBody(ctx.uniqueName("media-type")));
      await expectRefusals(
        ctx,
        [
          {
            label: "A create sent as text/plain",
            request: {
              method: "POST",
              path: "/api/connections",
              raw,
              headers: { "Content-Type": "text/plain" },
            },
          },
        ],
        [415],
        "line 140",
      );
    },
  },
];

import { propertyDefaults, variantRef } from "@mgmtkit/spec/model";
import type { CheckContext } from "../context.js";
import { createBody } from "../fixtures.js";
import type { RequestSpec } from "../http.js";
import type { Check } from "./check.js";
import { createConnection, encodeName } from "./support.js";

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
      const name = ctx.run.uniqueName("malformed");
      // Raw text on purpose: pactum would serialise an object into valid JSON.
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
        await ctx.send({ method: "DELETE", path: encodeName(existing) });
      }
    },
  },
  {
    id: "negative.missing-fields",
    profile: "core",
    title: "Missing name or strategy refused with 4xx",
    requirement: "A create without name or strategy is refused with a 4xx status.",
    source:
      "lines 142-146 (the body is a connection object; the name addresses it, the strategy selects its options); spec quirk 16 leaves status and options open",
    async run(ctx) {
      const cases = (["name", "strategy"] as const).map((field) => {
        const body: Record<string, unknown> = createBody(ctx.run.uniqueName(`no-${field}`));
        delete body[field];
        return { label: `A create without ${field}`, request: create(body) };
      });
      await expectRefusals(ctx, cases, REFUSED, "lines 142-146");
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
        ...createBody(ctx.run.uniqueName("strategy")),
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
        request: create({ ...createBody(ctx.run.uniqueName("types")), ...patch }),
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
        request: create({ ...createBody(ctx.run.uniqueName("status")), status }),
      }));
      await expectRefusals(ctx, cases, REFUSED, "line 55");
    },
  },
  {
    id: "connections.liberal-create",
    profile: "strict",
    title: "The era's smallest create bodies accepted, with the spec's defaults",
    requirement:
      "A create with only name, strategy and part of the options is accepted, its status taken from the spec's default; an unknown top-level property is ignored, not stored.",
    source:
      "spec quirk 16 (the API's own Node client of the time created connections without status or client credentials); the document never says such a create is refused",
    async run(ctx) {
      const name = ctx.run.uniqueName("era");
      const strategy = "office365";
      const { status } = propertyDefaults(variantRef("ConnectionCreate", strategy));
      const era = {
        name,
        strategy,
        options: { tenant_domain: "bigcompany.example" },
        favourite_colour: "teal",
      };
      const created = await ctx.call(create(era));
      ctx.expectStatus(
        created,
        [200, 201],
        "A create with only name, strategy and options.tenant_domain is accepted (spec quirk 16).",
      );
      await ctx.expectThat(
        created,
        `A create without status answers the spec's default status ${JSON.stringify(status)} (spec quirk 16).`,
        (json) =>
          (json as { status?: unknown } | undefined)?.status === status
            ? undefined
            : `status is ${JSON.stringify((json as { status?: unknown } | undefined)?.status)}`,
      );
      await ctx.expectThat(
        created,
        "An unknown top-level property of a create is ignored, not stored (spec quirk 16).",
        (json) =>
          typeof json === "object" && json !== null && "favourite_colour" in json
            ? "the answer carries favourite_colour"
            : undefined,
      );
    },
  },
  {
    id: "negative.unsupported-media-type",
    profile: "strict",
    title: "A body that is not application/json refused with 415",
    requirement: "A create sent as text/plain is refused with 415.",
    source: 'line 140 ("Content-Type: application/json"); spec createConnection 415',
    async run(ctx) {
      const raw = JSON.stringify(createBody(ctx.run.uniqueName("media-type")));
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

import type { CheckContext } from "../context.js";
import { point } from "../open-points.js";
import type { RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { isRecord, removeIfCreated } from "./support.js";

const REFUSED = ["4xx"];

/** What the document says of the fields a create leaves out. */
const FIELDS =
  'name "The unique name you gave to the connection", strategy "The type of identity provider associated with this connection", options "An object with properties that are dependent on the strategy selected" (List all Connections)';
const CREATE =
  '"The body of the request is formatted as a connection object" (Create a new Connection)';

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

/**
 * The hand-written negative check the generated families do not cover: a create that leaves out a
 * field, judged for the defaults it takes when accepted. The rest of the negative requests (malformed
 * JSON, unknown strategies, wrong types, out-of-range numbers, other media types, bodies that are
 * not objects, incomplete replaces) are generated from the spec (generation/mutations.ts).
 */
export const negativeChecks: Check[] = [
  {
    id: "negative.missing-fields",
    profile: "core",
    title:
      "A create without name or strategy is refused; without status or options, refused or defaulted",
    requirement:
      "A create without name or strategy is refused with a 4xx; one without status or without options is refused with a 4xx, or creates a connection with status 0 or 1 and an options object.",
    source: `${FIELDS}; ${CREATE} leaves status and options open (open points create.status-omitted, create.options-omitted); spec ConnectionCreate`,
    async run(ctx) {
      const without = (field: string) => {
        const body: Record<string, unknown> = { ...createBody(ctx.uniqueName(`no-${field}`)) };
        delete body[field];
        return { label: `A create without ${field}`, request: create(body) };
      };
      await expectRefusals(ctx, [without("name"), without("strategy")], REFUSED, FIELDS);
      const defaults: unknown[] = [...point("create.status-omitted").under("core").statuses];
      for (const field of ["status", "options"]) {
        await ctx.step(async () => {
          const { label, request } = without(field);
          const exchange = await ctx.call(request);
          await removeIfCreated(ctx, request, exchange);
          ctx.expectStatus(
            exchange,
            [200, 201, "4xx"],
            `${label} is refused with a 4xx or creates the connection with a default (${CREATE}).`,
          );
          if (exchange.status === 200 || exchange.status === 201) {
            ctx.expectThat(
              exchange,
              `${label}, when accepted, creates a connection with status 0 or 1 and an options object (status "Defines whether the connection is active 1 or not 0").`,
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
];

import pactum from "pactum";
import { type CheckContext, describeAnswer } from "../context.js";
import { curlFor } from "../curl.js";
import { type Exchange, isJsonContentType } from "../http.js";
import { type Operation, operations } from "../spec-model.js";
import type { Check } from "./check.js";
import { createConnection, encodeName } from "./support.js";
import { tokenForm } from "./token.js";

/** At most this many failures per check; the rest are counted in the last one. */
const MAX_REPORTED = 5;

const kebab = (operationId: string) => operationId.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The answers of the run so far that carry a status (complete or not). */
function answered(ctx: CheckContext, op?: Operation): Exchange[] {
  return ctx.run.transport.exchanges.filter(
    (exchange) =>
      exchange.status !== undefined &&
      exchange.bytes <= ctx.run.transport.maxResponseBytes &&
      (op === undefined ? exchange.operation !== undefined : exchange.operation === op),
  );
}

/** Makes sure the operation was exercised at least once, for runs that selected only this check. */
async function exercise(ctx: CheckContext, op: Operation): Promise<void> {
  if (answered(ctx, op).length > 0) return;
  switch (op.operationId) {
    case "getAccessToken":
      await ctx.send({
        method: "POST",
        path: "/oauth/token",
        auth: { kind: "none" },
        form: tokenForm(ctx.needCredentials()),
      });
      return;
    case "listConnections":
    case "listUsers":
    case "listSocialConnectionUsers":
      await ctx.send({ method: "GET", path: op.path });
      return;
    default: {
      const { name, body } = await createConnection(ctx, "schema");
      await ctx.send({ method: "GET", path: encodeName(name) });
      await ctx.send({ method: "GET", path: `${encodeName(name)}/users` });
      await ctx.send({ method: "PUT", path: encodeName(name), json: { ...body, status: 1 } });
      await ctx.send({ method: "DELETE", path: encodeName(name) });
    }
  }
}

/**
 * The body's problems against a schema of the spec, through pactum's JSON-schema expectation
 * (whose adapter is ajv 2020 loaded with the spec, one problem per line).
 */
function schemaProblems(exchange: Exchange, ref: string): string[] {
  try {
    pactum.expect(exchange.raw).to.have.jsonSchema({ $ref: ref });
    return [];
  } catch (error) {
    return ((error as Error).message ?? "")
      .replace(/^[\s\S]*?JSON schema - /, "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  }
}

function report(
  ctx: CheckContext,
  exchange: Exchange,
  requirement: string,
  observed: string,
): void {
  ctx.failures.push({
    checkId: ctx.check.id,
    requirement,
    observed,
    request: `${exchange.method} ${exchange.url}`,
    curl: curlFor(exchange, ctx.run.redactor),
  });
}

/** Keeps one failure per distinct problem, and at most MAX_REPORTED of them. */
function capFailures(ctx: CheckContext, total: number): void {
  if (ctx.failures.length > MAX_REPORTED) ctx.failures.length = MAX_REPORTED;
  const last = ctx.failures.at(-1);
  if (last && total > ctx.failures.length) {
    last.observed += ` (${total - ctx.failures.length} more answers broke the same rule.)`;
  }
}

function bodyCheck(op: Operation): Check {
  const statuses = [...op.responses.keys()].join(", ");
  return {
    id: `schema.${kebab(op.operationId)}`,
    profile: "core",
    late: true,
    needsToken: op.operationId !== "getAccessToken",
    title: `${op.method} ${op.path}: every body matches the spec`,
    requirement: `Every answer of ${op.method} ${op.path} (${op.operationId}) has a JSON body valid against the spec's schema for its status (${statuses}).`,
    source: `spec paths["${op.path}"].${op.method.toLowerCase()}.responses; lines ${sourceLines[op.operationId] ?? "1-170"}`,
    async run(ctx) {
      await exercise(ctx, op);
      let broken = 0;
      for (const exchange of answered(ctx, op)) {
        if (!exchange.documented) continue;
        const schema = op.responses.get(exchange.documented);
        if (!schema) continue;
        const requirement = `${op.method} ${op.path} answering ${exchange.status} has a body valid against the spec's ${exchange.documented} response schema.`;
        if (!exchange.isJson) {
          broken += 1;
          report(
            ctx,
            exchange,
            requirement,
            `The server ${describeAnswer(exchange)}, which is not JSON.`,
          );
          continue;
        }
        const problems = schemaProblems(exchange, schema);
        if (problems.length > 0) {
          broken += 1;
          const key =
            problems.slice(0, 3).join("; ") +
            (problems.length > 3 ? `; and ${problems.length - 3} more` : "");
          if (ctx.failures.some((f) => f.observed.includes(key))) continue;
          report(
            ctx,
            exchange,
            requirement,
            `The server answered ${exchange.status} with a body that breaks the schema: ${key}.`,
          );
        }
      }
      capFailures(ctx, broken);
    },
  };
}

const sourceLines: Record<string, string> = {
  getAccessToken: "14-20",
  listConnections: "41-57",
  createConnection: "136-148",
  getConnection: "75, 120-122",
  updateConnection: "150-152",
  deleteConnection: "124-134",
  listUsers: "156, 160-170",
  listConnectionUsers: "157, 160-170",
  listSocialConnectionUsers: "158, 160-170",
};

/** Makes sure a run that selected only a late check still asks something of every operation. */
async function exerciseAll(ctx: CheckContext): Promise<void> {
  for (const op of operations) {
    if (op.operationId === "getAccessToken" && !ctx.credentials.clientSecret) continue;
    await exercise(ctx, op);
  }
  if (!ctx.run.transport.exchanges.some((e) => e.status === 401)) {
    await ctx.send({ method: "GET", path: "/api/connections", auth: { kind: "none" } });
  }
  if (!ctx.run.transport.exchanges.some((e) => e.status === 404)) {
    await ctx.send({ method: "GET", path: encodeName(ctx.run.uniqueName("absent")) });
  }
}

export const schemaChecks: Check[] = [
  ...operations.map(bodyCheck),
  {
    id: "schema.documented-status",
    profile: "core",
    late: true,
    title: "Every status is documented",
    requirement:
      "Every answer's status is one the spec documents for that operation (exactly, or by its 5XX range).",
    source: "spec paths.*.responses (the document names no other statuses)",
    async run(ctx) {
      await exerciseAll(ctx);
      const seen = new Map<string, number>();
      for (const exchange of answered(ctx)) {
        const op = exchange.operation;
        if (!op || exchange.documented) continue;
        const key = `${op.operationId} ${exchange.status}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if ((seen.get(key) ?? 0) > 1) continue;
        report(
          ctx,
          exchange,
          `${op.method} ${op.path} answers only the statuses the spec documents for it: ${[...op.responses.keys()].join(", ")}.`,
          `The server ${describeAnswer(exchange)}.`,
        );
      }
      capFailures(ctx, seen.size);
    },
  },
  {
    id: "schema.json-content-type",
    profile: "core",
    late: true,
    title: "Every answer is served as JSON",
    requirement: "Every answer, errors included, has a JSON Content-Type (application/json).",
    source: 'line 27 ("All content is returned in JSON")',
    async run(ctx) {
      await exerciseAll(ctx);
      const seen = new Map<string, number>();
      for (const exchange of answered(ctx)) {
        if (isJsonContentType(exchange.contentType)) continue;
        const key = `${exchange.operation?.operationId} ${exchange.status} ${exchange.contentType}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        if ((seen.get(key) ?? 0) > 1) continue;
        report(
          ctx,
          exchange,
          `Every answer is JSON with Content-Type application/json, errors included (line 27); here ${exchange.method} ${exchange.operation?.path ?? new URL(exchange.url).pathname} answering ${exchange.status}.`,
          `The server answered ${exchange.status} with Content-Type ${exchange.contentType ?? "(none)"}.`,
        );
      }
      capFailures(ctx, seen.size);
    },
  },
];

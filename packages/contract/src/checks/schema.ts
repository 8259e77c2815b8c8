import type { CheckContext } from "../context.js";
import { describeAnswer, type Exchange, isJsonContentType } from "../exchange.js";
import { tokenForm } from "../setup.js";
import { type Operation, operations, schemaProblems } from "../spec-model.js";
import type { Check } from "./check.js";
import { createConnection, encodeName } from "./support.js";

/** At most this many failures per check; the rest are counted in the last one. */
const MAX_REPORTED = 5;

const kebab = (operationId: string) => operationId.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The answers of the run so far that carry a status (complete or not). */
function answered(ctx: CheckContext, op?: Operation): Exchange[] {
  return ctx
    .exchanges()
    .filter(
      (exchange) =>
        exchange.status !== undefined &&
        exchange.text !== undefined &&
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

/** Reports the first MAX_REPORTED problems; the last one counts the rest. */
function reportCapped(
  ctx: CheckContext,
  problems: Array<{ exchange: Exchange; requirement: string; observed: string }>,
  total = problems.length,
): void {
  const shown = problems.slice(0, MAX_REPORTED);
  shown.forEach((problem, index) => {
    const more =
      index === shown.length - 1 && total > shown.length
        ? ` (${total - shown.length} more answers broke the same rule.)`
        : "";
    ctx.record(problem.requirement, `${problem.observed}${more}`, problem.exchange);
  });
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
      const problems: Array<{ exchange: Exchange; requirement: string; observed: string }> = [];
      for (const exchange of answered(ctx, op)) {
        if (!exchange.documented) continue;
        const schema = op.responses.get(exchange.documented);
        if (!schema) continue;
        const requirement = `${op.method} ${op.path} answering ${exchange.status} has a body valid against the spec's ${exchange.documented} response schema.`;
        if (!exchange.isJson) {
          broken += 1;
          problems.push({
            exchange,
            requirement,
            observed: `The server ${describeAnswer(exchange)}, which is not JSON.`,
          });
          continue;
        }
        const found = schemaProblems({ $ref: schema }, exchange.json);
        if (found.length > 0) {
          broken += 1;
          const key =
            found.slice(0, 3).join("; ") +
            (found.length > 3 ? `; and ${found.length - 3} more` : "");
          if (problems.some((p) => p.observed.includes(key))) continue;
          problems.push({
            exchange,
            requirement,
            observed: `The server answered ${exchange.status} with a body that breaks the schema: ${key}.`,
          });
        }
      }
      reportCapped(ctx, problems, broken);
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
    if (op.operationId === "getAccessToken" && !ctx.hasCredentials) continue;
    await exercise(ctx, op);
  }
  if (!ctx.exchanges().some((e) => e.status === 401)) {
    await ctx.send({ method: "GET", path: "/api/connections", auth: { kind: "none" } });
  }
  if (!ctx.exchanges().some((e) => e.status === 404)) {
    await ctx.send({ method: "GET", path: encodeName(ctx.uniqueName("absent")) });
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
      const seen = new Set<string>();
      const problems: Array<{ exchange: Exchange; requirement: string; observed: string }> = [];
      for (const exchange of answered(ctx)) {
        const op = exchange.operation;
        if (!op || exchange.documented) continue;
        const key = `${op.operationId} ${exchange.status}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({
          exchange,
          requirement: `${op.method} ${op.path} answers only the statuses the spec documents for it: ${[...op.responses.keys()].join(", ")}.`,
          observed: `The server ${describeAnswer(exchange)}.`,
        });
      }
      reportCapped(ctx, problems);
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
      const seen = new Set<string>();
      const problems: Array<{ exchange: Exchange; requirement: string; observed: string }> = [];
      for (const exchange of answered(ctx)) {
        if (isJsonContentType(exchange.contentType)) continue;
        const key = `${exchange.operation?.operationId} ${exchange.status} ${exchange.contentType}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push({
          exchange,
          requirement: `Every answer is JSON with Content-Type application/json, errors included (line 27); here ${exchange.method} ${exchange.operation?.path ?? exchange.path} answering ${exchange.status}.`,
          observed: `The server answered ${exchange.status} with Content-Type ${exchange.contentType ?? "(none)"}.`,
        });
      }
      reportCapped(ctx, problems);
    },
  },
];

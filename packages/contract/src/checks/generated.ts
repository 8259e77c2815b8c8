import { type OperationModel, operations } from "@mgmtkit/spec/model";
import fc from "fast-check";
import type { PhaseContext } from "../context.js";
import { describeAnswer, type Exchange, shownBy, statusIn } from "../exchange.js";
import { type Draft, materialise } from "../generation/draft.js";
import { type PlannedCase, planCases } from "../generation/plan.js";
import { point } from "../open-points.js";
import type { Failure, Profile } from "../types.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import { encodeName, isRecord, unlikeShown } from "./support.js";

/** Cases of one operation shrunk per kind of failure; later ones are counted, not shrunk. */
const SHRUNK_PER_RULE = 2;
/** Requests one shrink may send at most (each smaller draft is one attempt). */
const MAX_ATTEMPTS = 80;
/** A server that stops answering ends the operation's cases after this many transport failures. */
const MAX_TRANSPORT_FAILURES = 2;

interface Problem {
  type: string;
  requirement: string;
  observed: string;
}

interface Outcome {
  problem?: Problem;
  exchange?: Exchange;
  /** The requests of the attempt, setup included. */
  exchanges: Exchange[];
  /** Why the case could not be judged (its connection could not be created). */
  skipped?: string;
  /** The run stopped (its time budget spent, the server gone) before the case was judged. */
  stopped?: boolean;
}

const where = (op: OperationModel) => `${op.method} ${op.path}`;

function successStatuses(op: OperationModel): number[] {
  return [...op.responses.keys()].filter((key) => /^2\d\d$/.test(key)).map(Number);
}

/** What the case's kind requires of the answer, or undefined when it holds. */
function verdict(
  planned: PlannedCase,
  draft: Draft,
  exchange: Exchange,
  profile: Profile,
): Problem | undefined {
  const { family } = planned;
  const op = family.operation;
  const status = exchange.status;
  const observed = `The server ${describeAnswer(exchange)}.`;
  const subject = `${where(op)} with ${family.description}`;
  if (status === undefined || exchange.transportError) {
    return {
      type: "check",
      requirement: "The server answers every request completely, within the deadline.",
      observed,
    };
  }
  const success = successStatuses(op);
  if (family.kind === "valid") {
    if (!success.includes(status)) {
      return {
        type: "check",
        requirement: `${subject} is valid by the spec and is accepted with ${success.join(" or ")}.`,
        observed,
      };
    }
    return echoProblem(draft, exchange, subject, profile);
  }
  if (family.kind === "invalid") {
    const emptyList =
      family.emptyListRefuses &&
      status === 200 &&
      Array.isArray(exchange.json) &&
      exchange.json.length === 0;
    const refused = family.refused
      .map((r) => (r === "4xx" ? "a 4xx status" : String(r)))
      .join(" or ");
    if (emptyList) return undefined;
    if (statusIn(status, family.refused)) {
      const error = isRecord(exchange.json) ? exchange.json.error : undefined;
      if (!family.refusedError || error === family.refusedError) return undefined;
      return {
        type: "check",
        requirement: `${subject} is refused with ${refused} and the error ${family.refusedError} (RFC 6749 section 5.2).`,
        observed,
      };
    }
    return {
      type: "check",
      requirement: `${subject} is refused with ${refused}${family.emptyListRefuses ? " (or an empty list)" : ""}, never accepted and never a 5xx.`,
      observed,
    };
  }
  if (success.includes(status)) {
    // What the server took, it shows as sent where the case's open point says so.
    return family.showsAsSent ? echoProblem(draft, exchange, subject, profile) : undefined;
  }
  if (status >= 400 && status < 500) return undefined;
  return {
    type: "check",
    requirement: `${subject} is accepted or refused with a 4xx (the document leaves it open), never anything else.`,
    observed,
  };
}

/**
 * A valid create answers the connection as sent (open point connection.client-secret), and so
 * does a replace where open point replace.answer says so.
 */
function echoProblem(
  draft: Draft,
  exchange: Exchange,
  subject: string,
  profile: Profile,
): Problem | undefined {
  const sent = draft.body?.json;
  const answers = {
    POST: true,
    PUT: point("replace.answer").under(profile).showsAsReplaced,
    GET: false,
    DELETE: false,
  };
  if (!answers[draft.method]) return undefined;
  if (!isRecord(sent) || typeof sent.name !== "string" || typeof sent.strategy !== "string")
    return undefined;
  const options = isRecord(sent.options) ? sent.options : {};
  const problem = exchange.isJson
    ? unlikeShown(exchange.json, {
        name: sent.name,
        ...(typeof sent.status === "number" ? { status: sent.status } : {}),
        strategy: sent.strategy,
        options,
      })
    : "the body is not JSON";
  if (!problem) return undefined;
  return {
    type: "check",
    requirement: `${subject} answers the connection as sent: its name, status, strategy and options (client_secret may be masked or left out).`,
    observed: `The server ${describeAnswer(exchange)} [${problem}].`,
  };
}

/** One attempt at a case: its connection created, the request sent and judged, then clean-up. */
async function attempt(ctx: PhaseContext, planned: PlannedCase, draft: Draft): Promise<Outcome> {
  const exchanges: Exchange[] = [];
  let targetClientId: unknown;
  if (draft.target) {
    const setup = await ctx.send({
      method: "POST",
      path: "/api/connections",
      json: createBody(draft.target.name, draft.target.strategy),
    });
    exchanges.push(setup);
    if (setup.stopped) return { exchanges, stopped: true };
    if (setup.status !== 200 && setup.status !== 201) {
      if (setup.status !== undefined)
        await ctx.send({ method: "DELETE", path: encodeName(draft.target.name) });
      return {
        exchanges,
        skipped: `its connection could not be created (${describeAnswer(setup)})`,
      };
    }
    targetClientId = isRecord(setup.json) ? setup.json.client_id : undefined;
  }
  const credentials = planned.family.operation.secured ? undefined : ctx.needCredentials();
  const request = materialise(draft, {
    token: credentials ? undefined : ctx.runToken(),
    clientId: credentials?.clientId ?? ctx.clientId,
    clientSecret: credentials?.clientSecret,
    targetClientId,
    derived: (value, expression) => ctx.rememberSecret(value, expression),
  });
  const exchange = await ctx.probe(request);
  exchanges.push(exchange);
  if (exchange.stopped) return { exchange, exchanges, stopped: true };
  const status = exchange.status;
  const mayExist = status === undefined || (status >= 200 && status < 300);
  const names = new Set(draft.target ? [draft.target.name] : []);
  if (mayExist) for (const name of draft.creates) names.add(name);
  if (draft.method === "DELETE" && status === 200 && draft.target) names.delete(draft.target.name);
  for (const name of names) await ctx.send({ method: "DELETE", path: encodeName(name) });

  const found = ctx.judge(exchange);
  const crash = found.find((f) => f.type === "response.server-error");
  const own = verdict(planned, draft, exchange, ctx.profile);
  const first = crash ?? own ?? found[0];
  return {
    exchange,
    exchanges,
    ...(first
      ? { problem: { type: first.type, requirement: first.requirement, observed: first.observed } }
      : {}),
  };
}

/**
 * Whether two outcomes break the same rule: the same kind of finding with the same requirement.
 * The kind alone lumps the case's own verdicts together: a create whose answer never came, sent
 * again, meets its own name (409), which is no smaller case of the timeout, nor is a refusal a
 * smaller case of an answer that echoed the wrong value.
 */
function sameRule(outcome: Outcome, original: Outcome): boolean {
  return (
    outcome.problem?.type === original.problem?.type &&
    outcome.problem?.requirement === original.problem?.requirement
  );
}

/**
 * Shrinks a failing case (fast-check, from the case's seed: its first draft is the one that
 * failed, `original`) to the smallest request that still breaks the same rule.
 */
async function shrinkCase(
  ctx: PhaseContext,
  planned: PlannedCase,
  original: Outcome,
): Promise<{ outcome: Outcome; shrinks: number }> {
  let smallest = original;
  let attempts = 0;
  await fc.check(
    fc.asyncProperty(planned.arbitrary, async (draft) => {
      attempts += 1;
      // The first draft is the case as planned: its failure is known, shrinking starts from it.
      if (attempts === 1) return false;
      if (attempts > MAX_ATTEMPTS) return true;
      const outcome = await attempt(ctx, planned, draft);
      if (outcome.stopped || !sameRule(outcome, original)) return true;
      smallest = outcome;
      return false;
    }),
    { seed: planned.seed, numRuns: 1 },
  );
  return { outcome: smallest, shrinks: Math.min(attempts, MAX_ATTEMPTS) - 1 };
}

/**
 * Runs every case of one operation, spread over the run's slots (`--concurrency`), then shrinks
 * the first SHRUNK_PER_RULE failing cases of each rule, in the plan's order: which cases are
 * shrunk and reported depends on the seed alone, never on which answer came first.
 */
async function runGenerated(ctx: PhaseContext, operation: OperationModel): Promise<void> {
  // An operation without security is the token endpoint: it takes client credentials, no token.
  if (operation.secured) ctx.runToken();
  else ctx.needCredentials();
  const cases = planCases(operation, {
    seed: ctx.generation.seed,
    profile: ctx.profile,
    maxExamples: ctx.generation.maxExamples,
    namePrefix: `mgmtkit-contract-${ctx.runId}-`,
  });
  let transportFailures = 0;
  let lastTransportError: string | undefined;
  const outcomes = await ctx.parallel(cases, async (planned) => {
    // A server that stops answering is not sent the rest of the operation's cases.
    if (transportFailures >= MAX_TRANSPORT_FAILURES) return undefined;
    ctx.countGenerated("cases");
    const outcome = await attempt(ctx, planned, planned.draft);
    if (outcome.exchange && !outcome.stopped && outcome.exchange.status === undefined) {
      transportFailures += 1;
      lastTransportError = outcome.exchange.transportError;
    }
    return outcome;
  });
  if (transportFailures >= MAX_TRANSPORT_FAILURES) {
    ctx.fail(
      "The server answers every generated request, so that the rest of them can be judged.",
      `The server stopped answering (${lastTransportError}); the operation's remaining generated cases were not sent.`,
    );
  }
  if (outcomes.some((o) => o?.stopped)) return;

  // Which failing cases are shrunk, and which are only counted, in the plan's order.
  const chosen: Array<{ planned: PlannedCase; original: Outcome }> = [];
  const more = new Map<string, number>();
  const shrunkOf = new Map<string, number>();
  for (const [index, planned] of cases.entries()) {
    const original = outcomes[index];
    const type = original?.problem?.type;
    if (!original || !type) continue;
    if ((shrunkOf.get(type) ?? 0) < SHRUNK_PER_RULE) {
      shrunkOf.set(type, (shrunkOf.get(type) ?? 0) + 1);
      chosen.push({ planned, original });
    } else {
      more.set(type, (more.get(type) ?? 0) + 1);
    }
  }
  const shrunk = await ctx.parallel(chosen, ({ planned, original }) =>
    shrinkCase(ctx, planned, original),
  );
  for (const [index, { planned, original }] of chosen.entries()) {
    const { outcome, shrinks } = shrunk[index] as { outcome: Outcome; shrinks: number };
    const exchange = outcome.exchange as Exchange;
    const shown = outcome.problem as Problem;
    const failure: Omit<Failure, "checkId"> = {
      type: shown.type,
      requirement: shown.requirement,
      observed: shown.observed,
      ...shownBy(exchange),
      curl: ctx.curlOf(exchange),
      seed: ctx.generation.seed,
      case: {
        phase: "generated" as const,
        id: planned.id,
        kind: planned.kind,
        description: planned.family.description,
        caseSeed: planned.seed,
        shrinks,
        steps: outcome.exchanges.map((e) => ctx.curlOf(e)),
      },
    };
    const count = more.get(original.problem?.type ?? "") ?? 0;
    // The last one shown of a rule counts the cases that broke it the same way, unshrunk.
    const isLast = chosen
      .slice(index + 1)
      .every((c) => c.original.problem?.type !== original.problem?.type);
    if (isLast && count > 0) {
      failure.observed = `${failure.observed} (${count} more generated case${count === 1 ? "" : "s"} of this operation broke the rule the same way.)`;
    }
    ctx.report(failure);
  }
  // A case that could not be sent was not judged: the check cannot pass on the others alone.
  const unjudged = outcomes.filter((o) => o?.skipped);
  if (unjudged.length > 0) {
    ctx.skip(
      `${unjudged.length} of ${cases.length} generated cases could not be judged: ${unjudged[0]?.skipped}`,
    );
  }
}

/** `getAccessToken` → `get-access-token`, as check ids are written. */
const kebab = (text: string) => text.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** One check per operation of the spec: the requests generated for it, from the run's seed. */
export const generatedChecks: Check[] = operations.map((operation) => ({
  id: `generated.${kebab(operation.id)}`,
  profile: "core",
  title: `Generated requests to ${where(operation)}`,
  requirement: `Requests to ${where(operation)} generated from the spec, seeded and shrunk: valid ones (with every token placement, Accept header and media type the document allows) are accepted; invalid ones (type swaps, missing fields, null, arrays, out-of-range and huge numbers, malformed bodies, altered credentials) are refused with a 4xx; odd ones the document leaves open (non-ASCII, astral and zero-width characters, long strings, deep nesting, unknown fields, repeated and odd query parameters, odd headers) are accepted or refused with a 4xx; never a 5xx, and every answer passes the response validators.`,
  source: `spec paths "${operation.path}" ${operation.method.toLowerCase()} (parameters, request body, responses); "Each API request must include an access token, either inside the query string ... or in an Authorization header", "All content is returned in JSON" (API endpoint); open points as CHECKS.md lists them`,
  ...(operation.secured ? {} : { needsToken: false }),
  async run(ctx) {
    await runGenerated(ctx, operation);
  },
}));

import { findLink } from "@mgmtkit/spec/link";
import { type Strategy, strategies } from "@mgmtkit/spec/model";
import fc from "fast-check";
import type { PhaseContext } from "../context.js";
import { type Exchange, headerValue, shownBy } from "../exchange.js";
import { optionsArbitrary } from "../generation/bodies.js";
import { caseSeed } from "../generation/plan.js";
import { point } from "../open-points.js";
import type { RequestSpec } from "../transport.js";
import { createBody } from "./bodies.js";
import type { Check } from "./check.js";
import {
  absent,
  type Command,
  Disagreement,
  type Model,
  Real,
  type Sent,
} from "./stateful-model.js";
import { encodeName, isRecord, sameId, unlikeShown } from "./support.js";

/**
 * Model-based sequences of create, get, replace, delete and list over a few names (fast-check
 * commands): after every step the server must agree with a model of what the sequence did.
 */

/** Names one sequence works on. */
const NAMES = 3;
const MAX_COMMANDS = 12;
/** Sequences (and shorter ones) one shrink may run at most. */
const MAX_RUNS = 30;
/** The most pages of the connection list followed, and filler connections created to fill two. */
const MAX_PAGES = 50;
const MAX_FILLERS = 100;

class Create implements Command {
  constructor(
    readonly slot: number,
    readonly strategy: Strategy,
    readonly status: 0 | 1,
    readonly options: Record<string, unknown>,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const name = real.names[this.slot] as string;
    const sent: Sent = {
      name,
      status: this.status,
      strategy: this.strategy,
      options: this.options,
    };
    const exchange = await real.send({ method: "POST", path: "/api/connections", json: sent });
    if (model.live.has(this.slot)) {
      real.expect(
        exchange,
        ["4xx"],
        "create-duplicate",
        'A create of a name that is taken is refused with a 4xx — "name The unique name you gave to the connection." (List all Connections)',
      );
      return;
    }
    real.expect(
      exchange,
      [200, 201],
      model.gone.has(this.slot) ? "create-after-delete" : "create",
      model.gone.has(this.slot)
        ? 'The name of a deleted connection can be created again — "will eliminate the connection definition permanently" (Delete a connection).'
        : 'A valid create of a free name succeeds with 200 or 201 — "POST a connection object to the connections resource" (Create a new Connection).',
    );
    real.differs(
      exchange,
      "create-answer",
      'A create answers the connection as sent — "If successful, the response body will contain a complete connection object." (Create a new Connection)',
      unlikeShown(exchange.json, sent),
    );
    const json = isRecord(exchange.json) ? exchange.json : {};
    model.live.set(this.slot, { sent, id: json.id, clientId: json.client_id });
    model.gone.delete(this.slot);
  }
  toString = () => `create(${this.slot}, ${this.strategy}, status ${this.status})`;
}

class Get implements Command {
  constructor(readonly slot: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const name = real.names[this.slot] as string;
    const exchange = await real.send({ method: "GET", path: encodeName(name) });
    const live = model.live.get(this.slot);
    if (!live) {
      real.expect(
        exchange,
        absent(model, this.slot),
        model.gone.has(this.slot) ? "get-after-delete" : "get-absent",
        'GET of a name that holds no connection answers 404 (or 410 once deleted) — "will eliminate the connection definition permanently" (Delete a connection).',
      );
      return;
    }
    real.expect(
      exchange,
      [200],
      "get",
      'GET of a live connection answers 200 — "will return the matching connection object only" (List all Connections).',
    );
    real.differs(
      exchange,
      "get-content",
      'GET returns exactly what the last create or replace sent: name, status, strategy and every option (client_secret may be masked or left out), and the created id where it shows one — "will return the matching connection object only" (List all Connections); "All object parameters must be included, not only those which have changed." (Updating a Connection)',
      unlikeShown(exchange.json, live.sent) ?? idProblem(exchange.json, live.id),
    );
  }
  toString = () => `get(${this.slot})`;
}

class Replace implements Command {
  constructor(
    readonly slot: number,
    readonly status: 0 | 1,
    readonly options: Record<Strategy, Record<string, unknown>>,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const name = real.names[this.slot] as string;
    const live = model.live.get(this.slot);
    const strategy = live?.sent.strategy ?? "google-oauth2";
    const sent: Sent = { name, status: this.status, strategy, options: this.options[strategy] };
    // A reading that requires every field of the connection object (List all Connections) gets client_id too, as the server showed it.
    const body =
      live &&
      point("client-id.foreign").under(real.ctx.profile).replaceSendsShownClientId &&
      live.clientId !== undefined
        ? { client_id: live.clientId, ...sent }
        : sent;
    const exchange = await real.send({ method: "PUT", path: encodeName(name), json: body });
    if (!live) {
      real.expect(
        exchange,
        absent(model, this.slot),
        "replace-absent",
        "A PUT of a name that holds no connection answers 404 (or 410 once deleted).",
      );
      return;
    }
    real.expect(
      exchange,
      [200],
      "replace",
      'A full PUT of a live connection answers 200 — "A PUT works on a specific connection, therefore the connection name must be specified." (Updating a Connection)',
    );
    if (point("replace.answer").under(real.ctx.profile).showsAsReplaced) {
      real.differs(
        exchange,
        "replace-answer",
        "A full PUT answers the connection as replaced (spec updateConnection).",
        unlikeShown(exchange.json, sent),
      );
    }
    model.live.set(this.slot, { ...live, sent });
  }
  toString = () => `replace(${this.slot}, status ${this.status})`;
}

class Delete implements Command {
  constructor(readonly slot: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const name = real.names[this.slot] as string;
    const exchange = await real.send({ method: "DELETE", path: encodeName(name) });
    const live = model.live.get(this.slot);
    if (!live) {
      real.expect(
        exchange,
        absent(model, this.slot),
        "delete-absent",
        "DELETE of a name that holds no connection answers 404 (or 410 once deleted).",
      );
      return;
    }
    real.expect(
      exchange,
      [200],
      "delete",
      'DELETE of a live connection answers 200 — "A Delete operation on the connections object will eliminate the connection definition permanently." (Delete a connection)',
    );
    real.differs(
      exchange,
      "delete-removed",
      'DELETE answers { "removed": <the id the create answered> } — "If successful, the response body will contain a confirmation object" (Delete a connection).',
      isRecord(exchange.json) && sameId(exchange.json.removed, live.id)
        ? undefined
        : `removed is ${JSON.stringify(isRecord(exchange.json) ? exchange.json.removed : exchange.json)}, not ${JSON.stringify(live.id)}`,
    );
    model.live.delete(this.slot);
    model.gone.add(this.slot);
  }
  toString = () => `delete(${this.slot})`;
}

class List implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    const { items, last } = await readList(real);
    const byName = new Map<unknown, unknown>();
    for (const item of items) if (isRecord(item)) byName.set(item.name, item);
    for (const [slot, live] of model.live) {
      const shown = byName.get(real.names[slot]);
      real.differs(
        last,
        "list-live",
        'The list holds every live connection as the last create or replace left it — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
        shown === undefined
          ? `${JSON.stringify(real.names[slot])} is not listed`
          : (unlikeShown(shown, live.sent) ?? idProblem(shown, live.id)),
      );
    }
    for (const slot of model.gone) {
      real.differs(
        last,
        "list-deleted",
        'The list holds no deleted connection — "will eliminate the connection definition permanently" (Delete a connection).',
        byName.has(real.names[slot])
          ? `the deleted ${JSON.stringify(real.names[slot])} is listed`
          : undefined,
      );
    }
  }
  toString = () => "list";
}

function idProblem(json: unknown, id: unknown): string | undefined {
  if (!isRecord(json) || json.id === undefined || sameId(json.id, id)) return undefined;
  return `id is ${JSON.stringify(json.id)}, not the created ${JSON.stringify(id)}`;
}

/** The whole connection list, following `Link: rel="next"` pages where the server pages. */
async function readList(real: Real): Promise<{ items: unknown[]; last: Exchange; pages: number }> {
  const items: unknown[] = [];
  let request: RequestSpec | undefined = { method: "GET", path: "/api/connections" };
  let last: Exchange | undefined;
  let pages = 0;
  while (request) {
    last = await real.send(request);
    pages += 1;
    real.expect(
      last,
      [200],
      "list",
      'GET /api/connections answers 200 — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
    );
    if (!Array.isArray(last.json)) {
      real.differs(
        last,
        "list",
        'GET /api/connections answers a JSON array — "To return a list of all defined connections in Auth0, use this syntax" (List all Connections).',
        "not an array",
      );
    }
    items.push(...(last.json as unknown[]));
    const next = findLink(headerValue(last.headers.link));
    if (!next || pages >= MAX_PAGES) break;
    const link = real.ctx.followLink(next, last);
    request = { method: "GET", path: link.path, query: link.query };
  }
  return { items, last: last as Exchange, pages };
}

const slot = fc.integer({ min: 0, max: NAMES - 1 });
const status = fc.constantFrom<0 | 1>(0, 1);

function commands(ctx: PhaseContext): fc.Arbitrary<Iterable<Command>> {
  const everyStrategy = fc.record(
    Object.fromEntries(strategies.map((s) => [s, optionsArbitrary(ctx.profile, s)])) as Record<
      Strategy,
      fc.Arbitrary<Record<string, unknown>>
    >,
  );
  return fc.commands(
    [
      fc
        .tuple(slot, fc.constantFrom(...strategies), status)
        .chain(([k, strategy, s]) =>
          optionsArbitrary(ctx.profile, strategy).map(
            (options) => new Create(k, strategy, s, options),
          ),
        ),
      slot.map((k) => new Get(k)),
      fc.tuple(slot, status, everyStrategy).map(([k, s, options]) => new Replace(k, s, options)),
      slot.map((k) => new Delete(k)),
      fc.constant(new List()),
    ],
    { maxCommands: MAX_COMMANDS },
  );
}

/** A sequence every run tries first: each rule of the model once, in order. */
function scripted(ctx: PhaseContext): Command[] {
  const [options] = fc.sample(optionsArbitrary(ctx.profile, "adfs"), {
    seed: caseSeed(ctx.generation.seed, "stateful/scripted"),
    numRuns: 1,
  });
  const all = Object.fromEntries(strategies.map((s) => [s, createBody("x", s).options])) as Record<
    Strategy,
    Record<string, unknown>
  >;
  return [
    new Create(0, "adfs", 1, options as Record<string, unknown>),
    new List(),
    new Get(0),
    new Replace(0, 0, all),
    new Get(0),
    new List(),
    new Delete(0),
    new Get(0),
    new List(),
    new Create(0, "adfs", 1, all.adfs),
    new Get(0),
    new Delete(0),
  ];
}

interface RunResult {
  disagreement?: Disagreement;
  real: Real;
}

async function runSequence(
  ctx: PhaseContext,
  cmds: Iterable<Command>,
  label: string,
): Promise<RunResult> {
  const names = Array.from(
    { length: NAMES },
    (_, k) => `mgmtkit-contract-${ctx.runId}-${label}-${k}`,
  );
  const real = new Real(ctx, names);
  const model: Model = { live: new Map(), gone: new Set() };
  try {
    await fc.asyncModelRun(() => ({ model, real }), cmds);
    return { real };
  } catch (error) {
    if (error instanceof Disagreement) return { disagreement: error, real };
    throw error;
  } finally {
    for (const k of model.live.keys()) {
      await ctx.send({ method: "DELETE", path: encodeName(names[k] as string) });
    }
  }
}

function report(ctx: PhaseContext, id: string, seed: number, result: RunResult, shrinks: number) {
  const d = result.disagreement as Disagreement;
  ctx.report({
    type: d.code.startsWith("response.") ? d.code : "check",
    requirement: d.requirement,
    observed: d.observed,
    ...(d.exchange ? { ...shownBy(d.exchange), curl: ctx.curlOf(d.exchange) } : {}),
    seed: ctx.generation.seed,
    case: {
      phase: "stateful",
      id,
      kind: "sequence",
      description: `create, get, replace, delete and list over ${NAMES} names, checked against a model after every step`,
      caseSeed: seed,
      shrinks,
      steps: result.real.steps.map((e) => ctx.curlOf(e)),
    },
  });
}

/** Fills the tenant past one page of the connection list when the server pages it. */
async function fillPages(ctx: PhaseContext): Promise<string[]> {
  const real = new Real(ctx, []);
  const first = await real.send({ method: "GET", path: "/api/connections" });
  if (!findLink(headerValue(first.headers.link)) || !Array.isArray(first.json)) return [];
  const { items } = await readList(real);
  const fillers: string[] = [];
  for (let i = items.length; i <= first.json.length && fillers.length < MAX_FILLERS; i++) {
    const name = ctx.uniqueName("page-filler");
    const created = await ctx.send({
      method: "POST",
      path: "/api/connections",
      json: createBody(name),
    });
    if (created.status === 200 || created.status === 201) fillers.push(name);
  }
  return fillers;
}

export const statefulChecks: Check[] = [
  {
    id: "stateful.connections",
    profile: "core",
    title: "Sequences of create, get, replace, delete and list agree with a model",
    requirement:
      "Over seeded, shrunk sequences of creates, gets, replaces, deletes and lists of a few names: the list holds every live connection as last sent and no deleted one (across every page where the server pages); GET returns exactly what the last create or replace sent, every option included (client_secret may be masked or left out, id may be left out); removed is the created id; a deleted name answers 404 (or 410) and can be created again; a taken name is refused.",
    source:
      "the verbs and URLs of Connection Methods, the connection object of List all Connections, Get a specific Connection, Delete a connection, Create a new Connection and Updating a Connection; open points connection.client-secret, connection.id-shown, delete.removed, delete.gone-status",
    // Its lists must show what its sequences did, and a server's list may depend on what other
    // checks create and delete meanwhile (a cache, pages): it runs when no other check does.
    runsAlone: true,
    async run(ctx) {
      ctx.runToken();
      let fillers: string[] = [];
      try {
        fillers = await fillPages(ctx);
        const first = await runSequence(ctx, scripted(ctx), "s0");
        ctx.countGenerated("sequences");
        if (first.disagreement?.code === "stopped") return;
        if (first.disagreement) {
          report(ctx, "connections#scripted", ctx.generation.seed, first, 0);
          return;
        }
        const runs = ctx.generation.maxExamples * 2;
        let sequence = 0;
        let stopped = false;
        for (let k = 0; k < runs && !stopped; k++) {
          const seed = caseSeed(ctx.generation.seed, `stateful/connections#${k}`);
          let original: RunResult | undefined;
          let smallest: RunResult | undefined;
          let tried = 0;
          await fc.check(
            fc.asyncProperty(commands(ctx), async (cmds) => {
              tried += 1;
              if (stopped || (original && tried > MAX_RUNS)) return true;
              sequence += 1;
              const result = await runSequence(ctx, cmds, `s${sequence}`);
              if (result.disagreement?.code === "stopped") {
                stopped = true;
                return true;
              }
              if (!original) {
                ctx.countGenerated("sequences");
                original = result;
                if (!result.disagreement) return true;
                smallest = result;
                return false;
              }
              if (result.disagreement?.code !== original.disagreement?.code) return true;
              smallest = result;
              return false;
            }),
            { seed, numRuns: 1 },
          );
          if (smallest && !stopped) {
            report(ctx, `connections#${k}`, seed, smallest, Math.min(tried, MAX_RUNS) - 1);
            return;
          }
        }
      } catch (error) {
        // The list could not be read before any sequence ran.
        if (!(error instanceof Disagreement)) throw error;
        if (error.code === "stopped") return;
        ctx.fail(error.requirement, error.observed, error.exchange);
      } finally {
        for (const name of fillers) await ctx.send({ method: "DELETE", path: encodeName(name) });
      }
    },
  },
];

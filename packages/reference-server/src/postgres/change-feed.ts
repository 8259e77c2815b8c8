import type { ConnectionList, ConnectionRecord, TokenRecord } from "../storage.js";

/**
 * A snapshot as `txid_current_snapshot()` writes it, `xmin:xmax:xip,…`: a committed transaction is
 * visible in it when below `xmin`, or below `xmax` and not listed as in progress.
 */
export interface Snapshot {
  xmin: number;
  xmax: number;
  inProgress: ReadonlySet<number>;
}

export function parseSnapshot(text: string): Snapshot {
  const [xmin = "0", xmax = "0", xip = ""] = text.split(":");
  return {
    xmin: Number(xmin),
    xmax: Number(xmax),
    inProgress: new Set(xip === "" ? [] : xip.split(",").map(Number)),
  };
}

const sees = (snapshot: Snapshot, xid: number) =>
  xid < snapshot.xmin || (xid < snapshot.xmax && !snapshot.inProgress.has(xid));

interface Cached<T> {
  snapshot: Snapshot;
  value: T;
}

export interface ListEntry {
  list: ConnectionList;
  /** The `seq` of each record, in the same order: where a row created later goes. */
  seqs: readonly number[];
  byName: Map<string, ConnectionRecord>;
  byTicket: Map<string, ConnectionRecord>;
}

/** A change to the connections as announced: a row gone, or a row as it now is. */
export type ConnectionChange =
  | { kind: "gone"; id: string }
  | { kind: "row"; seq: number; record: ConnectionRecord };

/**
 * How stale an answer from memory may be: a change another instance committed is in every answer
 * this instance gives from this many milliseconds after the commit was acknowledged.
 */
export const COHERENCE_MS = 100;
/** A round trip on the listening connection is started when the last one began this long ago. */
const CONFIRM_EVERY_MS = COHERENCE_MS / 2;

/** How long a read waits for this instance's own change to be announced before reading again. */
const OWN_CHANGE_WAIT_MS = COHERENCE_MS;

/**
 * Announcements held for the list at most before it is next read; past it the list goes, and the
 * next read asks the database (one read instead of applying more changes than it likely holds).
 */
const UNAPPLIED_LIMIT = 256;

/** Entries kept per cache at most; past it the oldest goes. */
const CACHE_LIMIT = 10_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  if (map.size >= CACHE_LIMIT) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/**
 * What this instance may answer from memory. Connection reads are cached with the snapshot they
 * were read in; an announced change that the list's snapshot cannot contain is applied to it when
 * the announcement carries the rows (else the list goes), at the list's next use, all changes
 * since the last one at once (a write's announcement costs an instance that does not read the
 * list meanwhile only a note of it); it drops every other entry whose snapshot
 * cannot contain it, and a read that was in flight while changes came is kept only if its
 * snapshot contains all of them. A change made by this instance (which learns its transaction id
 * from the write) holds its reads until the database announced it, so that they see it at once;
 * the announcement comes right after the commit, well before the write is acknowledged (it waits
 * for a disk sync), so they seldom wait. Tokens found are
 * kept until a change to the token table (a prune) is announced. Nothing is kept or answered
 * while `listening` is false: changes announced then are lost.
 */
export class ChangeFeed {
  listening = false;
  /** Counts the listening connections lost; a round trip on an earlier one confirms nothing. */
  session = 0;
  /**
   * Every change committed before this instant (`performance.now()`) has been applied here: the
   * database delivers a listener's pending notifications before it answers any query, so a round
   * trip on the listening connection that started at this instant carried them all.
   */
  confirmedAt = Number.NEGATIVE_INFINITY;
  #generation = 0;
  // Changes since some generation, oldest first, so that a read in flight can compare.
  #recent: { generation: number; xid: number }[] = [];
  #list: Cached<ListEntry> | undefined;
  // Changes announced since the list was read or last brought up to date, oldest first: applied
  // when the list is next asked for, so that a write costs an instance that does not read the list
  // meanwhile (every other instance, under a load of writes) no more than taking note of it.
  #unapplied: (() => readonly ConnectionChange[] | undefined)[] = [];
  readonly #names = new Map<string, Cached<ConnectionRecord | undefined>>();
  #tokens = new Map<string, TokenRecord>();
  #tokenGeneration = 0;
  #lists = 0;
  // This instance's own changes not announced yet, and the reads waiting for them.
  readonly #awaited = new Set<number>();
  #caughtUp: { promise: Promise<void>; resolve: () => void; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly enabled: boolean) {}

  /** Marks the start of a read; pass the mark to `fresh` with the read's snapshot. */
  mark(): number {
    return this.#generation;
  }

  /** Whether a read started at `mark` with `snapshot` may be kept. */
  #fresh(mark: number, snapshot: Snapshot): boolean {
    if (!(this.enabled && this.listening)) return false;
    if (mark === this.#generation) return true;
    const first = this.#recent[0];
    if (!first || first.generation > mark + 1) return false;
    return this.#recent.every((c) => c.generation <= mark || sees(snapshot, c.xid));
  }

  /**
   * A committed change to the connections, by the transaction `xid`, as announced: with its rows
   * (`changes`, read when the list is next asked for; `undefined` then if they are unreadable), or
   * not (then every answer that cannot contain it goes).
   */
  connectionsChanged(xid: number, changes?: () => readonly ConnectionChange[] | undefined): void {
    this.#generation++;
    this.#recent.push({ generation: this.#generation, xid });
    if (this.#recent.length > 256) this.#recent.shift();
    const cached = this.#list;
    if (cached && !sees(cached.snapshot, xid)) {
      // Announcements come in commit order, each once: applied in that order to a list read before
      // them (and after every change it already holds), the list is as of the last commit.
      if (changes && this.#unapplied.length < UNAPPLIED_LIMIT) this.#unapplied.push(changes);
      else this.#dropList();
    }
    for (const [name, entry] of this.#names) {
      if (!sees(entry.snapshot, xid)) this.#names.delete(name);
    }
    if (this.#awaited.delete(xid) && this.#awaited.size === 0) this.#release();
  }

  /**
   * A change this instance committed in the transaction `xid`: reads wait (`caughtUp`) until its
   * announcement was applied, unless it already was.
   */
  ownChange(xid: number): void {
    if (!this.#usable()) return;
    if (this.#recent.some((c) => c.xid === xid)) return;
    this.#awaited.add(xid);
  }

  /** Whether reads must wait for an own change to be announced (see `caughtUp`). */
  behind(): boolean {
    return this.#awaited.size > 0;
  }

  /**
   * Resolves once every own change is announced, or after `OWN_CHANGE_WAIT_MS` (the listening
   * connection in trouble): then what this instance holds goes, and reads go to the database.
   */
  caughtUp(): Promise<void> {
    if (this.#awaited.size === 0) return Promise.resolve();
    if (!this.#caughtUp) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      const timer = setTimeout(() => {
        this.#dropList();
        this.#names.clear();
        this.#awaited.clear();
        this.#release();
      }, OWN_CHANGE_WAIT_MS);
      timer.unref();
      this.#caughtUp = { promise, resolve, timer };
    }
    return this.#caughtUp.promise;
  }

  #release(): void {
    const waiting = this.#caughtUp;
    this.#caughtUp = undefined;
    if (waiting) {
      clearTimeout(waiting.timer);
      waiting.resolve();
    }
  }

  #dropList(): void {
    this.#list = undefined;
    this.#unapplied = [];
  }

  /** The list held, with the changes announced since applied, or none (then it is read again). */
  #currentList(): ListEntry | undefined {
    const cached = this.#list;
    if (!cached || this.#unapplied.length === 0) return cached?.value;
    const changes: ConnectionChange[] = [];
    for (const announced of this.#unapplied) {
      const rows = announced();
      if (!rows) {
        this.#dropList();
        return undefined;
      }
      changes.push(...rows);
    }
    this.#unapplied = [];
    const value = this.#applied(cached.value, changes);
    this.#list = { snapshot: cached.snapshot, value };
    return value;
  }

  /** `entry` with `changes` applied in order, as a new version, in creation order (`seq`). */
  #applied(entry: ListEntry, changes: readonly ConnectionChange[]): ListEntry {
    const rows = new Map<string, { record: ConnectionRecord; seq: number }>();
    entry.list.records.forEach((record, i) => {
      rows.set(record.id, { record, seq: entry.seqs[i] as number });
    });
    for (const change of changes) {
      if (change.kind === "gone") {
        rows.delete(change.id);
      } else {
        // Set anew so that it goes last, where a create usually belongs.
        rows.delete(change.record.id);
        rows.set(change.record.id, { record: change.record, seq: change.seq });
      }
    }
    const ordered = [...rows.values()];
    if (ordered.some((row, i) => i > 0 && (ordered[i - 1] as typeof row).seq > row.seq)) {
      ordered.sort((a, b) => a.seq - b.seq);
    }
    return this.#entry(
      ordered.map((row) => row.record),
      ordered.map((row) => row.seq),
    );
  }

  #entry(records: ConnectionRecord[], seqs: readonly number[]): ListEntry {
    const frozen = Object.freeze(records);
    return {
      list: { version: `pg.${++this.#lists}`, records: frozen },
      seqs,
      byName: new Map(frozen.map((c) => [c.name, c])),
      byTicket: new Map(
        frozen.flatMap((c) =>
          c.provisioning_ticket ? [[`${c.strategy}/${c.provisioning_ticket}`, c] as const] : [],
        ),
      ),
    };
  }

  tokensChanged(): void {
    this.#tokenGeneration++;
    this.#tokens = new Map();
  }

  /** Forgets everything, and every read in flight: changes may have been missed. */
  forget(): void {
    this.confirmedAt = Number.NEGATIVE_INFINITY;
    this.#generation++;
    this.#recent = [];
    this.#dropList();
    this.#names.clear();
    this.#awaited.clear();
    this.#release();
    this.tokensChanged();
  }

  #usable(): boolean {
    return this.enabled && this.listening;
  }

  /** Whether answers from memory hold every change acknowledged `COHERENCE_MS` ago or earlier. */
  current(): boolean {
    return this.#usable() && performance.now() - this.confirmedAt < COHERENCE_MS;
  }

  /** Whether a round trip on the listening connection is due, to keep `current()` true. */
  due(): boolean {
    return this.#usable() && performance.now() - this.confirmedAt >= CONFIRM_EVERY_MS;
  }

  list(): ListEntry | undefined {
    return this.current() ? this.#currentList() : undefined;
  }

  /** Wraps a list read; keeps it when fresh. Every answer not served from memory is a new version. */
  keepList(
    mark: number,
    snapshot: Snapshot,
    records: ConnectionRecord[],
    seqs: readonly number[],
  ): ListEntry {
    const entry = this.#entry(records, seqs);
    if (this.#fresh(mark, snapshot)) {
      this.#list = { snapshot, value: entry };
      this.#unapplied = [];
    }
    return entry;
  }

  /** A connection by name: `null` when not known here, `undefined` when known not to exist. */
  connection(name: string): ConnectionRecord | undefined | null {
    if (!this.current()) return null;
    const list = this.#currentList();
    if (list) return list.byName.get(name);
    const entry = this.#names.get(name);
    return entry ? entry.value : null;
  }

  keepConnection(mark: number, snapshot: Snapshot, name: string, record?: ConnectionRecord): void {
    if (this.#fresh(mark, snapshot)) remember(this.#names, name, { snapshot, value: record });
  }

  tokenMark(): number {
    return this.#tokenGeneration;
  }

  token(hash: string): TokenRecord | undefined {
    return this.current() ? this.#tokens.get(hash) : undefined;
  }

  keepToken(mark: number, token: TokenRecord): void {
    if (this.#usable() && mark === this.#tokenGeneration) remember(this.#tokens, token.hash, token);
  }
}

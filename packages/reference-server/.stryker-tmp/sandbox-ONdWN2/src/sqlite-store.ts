// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { closeSync, fdatasync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { type ConnectionRow, fromRow, migrations, openDatabase, storeError, toRow } from "./sqlite/schema.js";
import { CONNECTION_WRITES, createBatchWriter, seedOp, type WriteOp, type WriteOutcome } from "./sqlite/writes.js";
import { type ConnectionList, NameTakenError, type Slice, type Store, StoreOpenError, StoreUnavailableError, type UserFilter, type UserRecord } from "./storage.js";
export { migrations };

/** When a committed transaction counts as durable, hence when the write is acknowledged. */
interface Durability {
  /** Called once a transaction committed; resolves when it is on disk. */
  committed(): Promise<void>;
  /** Resolves when every transaction committed so far is on disk; undefined when they already are. */
  settled(): Promise<void> | undefined;
  /** Why nothing more can be promised durable (a sync failed), if that happened. */
  failure(): Error | undefined;
  /** Waits for the syncs still owed, then lets go of the log. */
  close(): Promise<void>;
}

/**
 * `synchronous: "full"`. The database commits with `synchronous = NORMAL`, which writes a
 * transaction's log frames but leaves syncing them to the next checkpoint; the log is synced here
 * instead (`fdatasync`, what `synchronous = FULL` does inside every commit), on a thread of the libuv
 * pool. Meanwhile the event loop goes on serving and committing, and one sync covers every
 * transaction committed before it started: a group commit that never blocks the server.
 */
function syncedLog(db: Database.Database): Durability {
  if (stryMutAct_9fa48("597")) {
    {}
  } else {
    stryCov_9fa48("597");
    const main = (db.pragma("database_list") as {
      name: string;
      file: string;
    }[]).find(stryMutAct_9fa48("598") ? () => undefined : (stryCov_9fa48("598"), d => stryMutAct_9fa48("601") ? d.name !== "main" : stryMutAct_9fa48("600") ? false : stryMutAct_9fa48("599") ? true : (stryCov_9fa48("599", "600", "601"), d.name === (stryMutAct_9fa48("602") ? "" : (stryCov_9fa48("602"), "main")))));
    if (stryMutAct_9fa48("605") ? false : stryMutAct_9fa48("604") ? true : stryMutAct_9fa48("603") ? main?.file : (stryCov_9fa48("603", "604", "605"), !(stryMutAct_9fa48("606") ? main.file : (stryCov_9fa48("606"), main?.file)))) throw new StoreOpenError(stryMutAct_9fa48("607") ? "" : (stryCov_9fa48("607"), "The database has no file to sync."));
    let log: number;
    try {
      if (stryMutAct_9fa48("608")) {
        {}
      } else {
        stryCov_9fa48("608");
        // The log exists once the database has been read. Its directory entry is synced once, so that
        // a new log survives a power loss as well.
        const directory = openSync(dirname(main.file), stryMutAct_9fa48("609") ? "" : (stryCov_9fa48("609"), "r"));
        try {
          if (stryMutAct_9fa48("610")) {
            {}
          } else {
            stryCov_9fa48("610");
            fsyncSync(directory);
          }
        } finally {
          if (stryMutAct_9fa48("611")) {
            {}
          } else {
            stryCov_9fa48("611");
            closeSync(directory);
          }
        }
        log = openSync(stryMutAct_9fa48("612") ? `` : (stryCov_9fa48("612"), `${main.file}-wal`), stryMutAct_9fa48("613") ? "" : (stryCov_9fa48("613"), "r"));
      }
    } catch (error) {
      if (stryMutAct_9fa48("614")) {
        {}
      } else {
        stryCov_9fa48("614");
        throw new StoreOpenError(stryMutAct_9fa48("615") ? `` : (stryCov_9fa48("615"), `Cannot open the log of the database ${main.file} (${(error as NodeJS.ErrnoException).code}).`), stryMutAct_9fa48("616") ? {} : (stryCov_9fa48("616"), {
          cause: error
        }));
      }
    }
    let committed = 0;
    let synced = 0;
    let syncing = stryMutAct_9fa48("617") ? true : (stryCov_9fa48("617"), false);
    let failed: Error | undefined;
    let waiters: {
      upTo: number;
      resolve: () => void;
      reject: (error: Error) => void;
    }[] = stryMutAct_9fa48("618") ? ["Stryker was here"] : (stryCov_9fa48("618"), []);
    const sync = () => {
      if (stryMutAct_9fa48("619")) {
        {}
      } else {
        stryCov_9fa48("619");
        if (stryMutAct_9fa48("622") ? (syncing || failed) && synced >= committed : stryMutAct_9fa48("621") ? false : stryMutAct_9fa48("620") ? true : (stryCov_9fa48("620", "621", "622"), (stryMutAct_9fa48("624") ? syncing && failed : stryMutAct_9fa48("623") ? false : (stryCov_9fa48("623", "624"), syncing || failed)) || (stryMutAct_9fa48("627") ? synced < committed : stryMutAct_9fa48("626") ? synced > committed : stryMutAct_9fa48("625") ? false : (stryCov_9fa48("625", "626", "627"), synced >= committed)))) return;
        syncing = stryMutAct_9fa48("628") ? false : (stryCov_9fa48("628"), true);
        const upTo = committed;
        fdatasync(log, error => {
          if (stryMutAct_9fa48("629")) {
            {}
          } else {
            stryCov_9fa48("629");
            syncing = stryMutAct_9fa48("630") ? true : (stryCov_9fa48("630"), false);
            if (stryMutAct_9fa48("632") ? false : stryMutAct_9fa48("631") ? true : (stryCov_9fa48("631", "632"), error)) {
              if (stryMutAct_9fa48("633")) {
                {}
              } else {
                stryCov_9fa48("633");
                // After a failed sync the kernel may have dropped the pages: nothing more is promised.
                failed = new Error(stryMutAct_9fa48("634") ? `` : (stryCov_9fa48("634"), `The database log could not be synced to disk (${error.code}).`));
              }
            } else {
              if (stryMutAct_9fa48("635")) {
                {}
              } else {
                stryCov_9fa48("635");
                synced = upTo;
              }
            }
            const waiting = waiters;
            waiters = stryMutAct_9fa48("636") ? ["Stryker was here"] : (stryCov_9fa48("636"), []);
            for (const w of waiting) {
              if (stryMutAct_9fa48("637")) {
                {}
              } else {
                stryCov_9fa48("637");
                if (stryMutAct_9fa48("641") ? w.upTo > synced : stryMutAct_9fa48("640") ? w.upTo < synced : stryMutAct_9fa48("639") ? false : stryMutAct_9fa48("638") ? true : (stryCov_9fa48("638", "639", "640", "641"), w.upTo <= synced)) w.resolve();else if (stryMutAct_9fa48("643") ? false : stryMutAct_9fa48("642") ? true : (stryCov_9fa48("642", "643"), failed)) w.reject(failed);else waiters.push(w);
              }
            }
            sync();
          }
        });
      }
    };
    const until = stryMutAct_9fa48("644") ? () => undefined : (stryCov_9fa48("644"), (() => {
      const until = (upTo: number) => new Promise<void>((resolve, reject) => {
        if (stryMutAct_9fa48("645")) {
          {}
        } else {
          stryCov_9fa48("645");
          waiters.push(stryMutAct_9fa48("646") ? {} : (stryCov_9fa48("646"), {
            upTo,
            resolve,
            reject
          }));
          sync();
        }
      });
      return until;
    })());
    return stryMutAct_9fa48("647") ? {} : (stryCov_9fa48("647"), {
      committed() {
        if (stryMutAct_9fa48("648")) {
          {}
        } else {
          stryCov_9fa48("648");
          stryMutAct_9fa48("649") ? committed-- : (stryCov_9fa48("649"), committed++);
          return failed ? Promise.reject(failed) : until(committed);
        }
      },
      settled() {
        if (stryMutAct_9fa48("650")) {
          {}
        } else {
          stryCov_9fa48("650");
          if (stryMutAct_9fa48("654") ? synced < committed : stryMutAct_9fa48("653") ? synced > committed : stryMutAct_9fa48("652") ? false : stryMutAct_9fa48("651") ? true : (stryCov_9fa48("651", "652", "653", "654"), synced >= committed)) return undefined;
          return failed ? Promise.reject(failed) : until(committed);
        }
      },
      failure: stryMutAct_9fa48("655") ? () => undefined : (stryCov_9fa48("655"), () => failed),
      async close() {
        if (stryMutAct_9fa48("656")) {
          {}
        } else {
          stryCov_9fa48("656");
          await (stryMutAct_9fa48("657") ? this.settled().catch(() => {}) : (stryCov_9fa48("657"), this.settled()?.catch(() => {})));
          closeSync(log);
        }
      }
    });
  }
}

/**
 * `synchronous: "normal"`, and an in-memory database. A committed transaction has written its log
 * frames to the operating system, so the write survives the process being killed; the log reaches
 * the disk at the next checkpoint.
 */
const committedIsDurable: Durability = stryMutAct_9fa48("658") ? {} : (stryCov_9fa48("658"), {
  committed: stryMutAct_9fa48("659") ? () => undefined : (stryCov_9fa48("659"), () => Promise.resolve()),
  settled: () => undefined,
  failure: () => undefined,
  close: async () => {}
});
interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
export interface SqliteStoreOptions {
  /**
   * What an acknowledged write survives. `"normal"`: the server process being killed (`kill -9`),
   * as a write is acknowledged once its transaction committed to the log. `"full"`: also a power
   * loss or an operating-system crash, as a write is acknowledged once the log is synced to disk,
   * which costs throughput. Default `"normal"`. A `:memory:` database survives neither.
   */
  synchronous?: "normal" | "full";
}

/**
 * Opens (creating and migrating when needed) a SQLite store: `:memory:` or a file. A write resolves
 * once it is durable (see `SqliteStoreOptions.synchronous`); with `"full"`, a read that may see a
 * write not yet synced waits for that sync too. Writes that arrive in the same round of I/O share
 * one transaction (see `createBatchWriter`), and with `"full"` transactions share syncs.
 */
export function openSqliteStore(location: string, options: SqliteStoreOptions = {}): Store {
  if (stryMutAct_9fa48("660")) {
    {}
  } else {
    stryCov_9fa48("660");
    const synchronous = stryMutAct_9fa48("661") ? options.synchronous && "normal" : (stryCov_9fa48("661"), options.synchronous ?? (stryMutAct_9fa48("662") ? "" : (stryCov_9fa48("662"), "normal")));
    if (stryMutAct_9fa48("665") ? synchronous !== "normal" || synchronous !== "full" : stryMutAct_9fa48("664") ? false : stryMutAct_9fa48("663") ? true : (stryCov_9fa48("663", "664", "665"), (stryMutAct_9fa48("667") ? synchronous === "normal" : stryMutAct_9fa48("666") ? true : (stryCov_9fa48("666", "667"), synchronous !== (stryMutAct_9fa48("668") ? "" : (stryCov_9fa48("668"), "normal")))) && (stryMutAct_9fa48("670") ? synchronous === "full" : stryMutAct_9fa48("669") ? true : (stryCov_9fa48("669", "670"), synchronous !== (stryMutAct_9fa48("671") ? "" : (stryCov_9fa48("671"), "full")))))) {
      if (stryMutAct_9fa48("672")) {
        {}
      } else {
        stryCov_9fa48("672");
        throw new StoreOpenError(stryMutAct_9fa48("673") ? `` : (stryCov_9fa48("673"), `synchronous must be "normal" or "full", not ${String(synchronous)}.`));
      }
    }
    const db = openDatabase(location);
    const inMemory = stryMutAct_9fa48("676") ? location === ":memory:" && location === "" : stryMutAct_9fa48("675") ? false : stryMutAct_9fa48("674") ? true : (stryCov_9fa48("674", "675", "676"), (stryMutAct_9fa48("678") ? location !== ":memory:" : stryMutAct_9fa48("677") ? false : (stryCov_9fa48("677", "678"), location === (stryMutAct_9fa48("679") ? "" : (stryCov_9fa48("679"), ":memory:")))) || (stryMutAct_9fa48("681") ? location !== "" : stryMutAct_9fa48("680") ? false : (stryCov_9fa48("680", "681"), location === (stryMutAct_9fa48("682") ? "Stryker was here!" : (stryCov_9fa48("682"), "")))));
    let durability: Durability;
    let applyBatch: (ops: WriteOp[]) => WriteOutcome[];
    try {
      if (stryMutAct_9fa48("683")) {
        {}
      } else {
        stryCov_9fa48("683");
        durability = (stryMutAct_9fa48("686") ? inMemory && synchronous === "normal" : stryMutAct_9fa48("685") ? false : stryMutAct_9fa48("684") ? true : (stryCov_9fa48("684", "685", "686"), inMemory || (stryMutAct_9fa48("688") ? synchronous !== "normal" : stryMutAct_9fa48("687") ? false : (stryCov_9fa48("687", "688"), synchronous === (stryMutAct_9fa48("689") ? "" : (stryCov_9fa48("689"), "normal")))))) ? committedIsDurable : syncedLog(db);
        applyBatch = createBatchWriter(db);
      }
    } catch (error) {
      if (stryMutAct_9fa48("690")) {
        {}
      } else {
        stryCov_9fa48("690");
        db.close();
        throw error;
      }
    }
    const statements = stryMutAct_9fa48("691") ? {} : (stryCov_9fa48("691"), {
      list: db.prepare<[], ConnectionRow>(stryMutAct_9fa48("692") ? "" : (stryCov_9fa48("692"), "SELECT * FROM connections ORDER BY seq")),
      get: db.prepare<[string], ConnectionRow>(stryMutAct_9fa48("693") ? "" : (stryCov_9fa48("693"), "SELECT * FROM connections WHERE name = ?")),
      findToken: db.prepare<[string], {
        hash: string;
        client_id: string;
        issued_at: number;
        expires_at: number;
      }>(stryMutAct_9fa48("694") ? "" : (stryCov_9fa48("694"), "SELECT * FROM tokens WHERE hash = ?")),
      check: db.prepare(stryMutAct_9fa48("695") ? "" : (stryCov_9fa48("695"), "SELECT 1")).pluck(),
      // Changes whenever another connection (another process sharing the file) commits to it.
      dataVersion: db.prepare<[], number>(stryMutAct_9fa48("696") ? "" : (stryCov_9fa48("696"), "PRAGMA data_version")).pluck()
    });
    const userQueries = new Map<string, Database.Statement>();
    function userQuery(filter: UserFilter, sliced: boolean, count: boolean): Database.Statement {
      if (stryMutAct_9fa48("697")) {
        {}
      } else {
        stryCov_9fa48("697");
        const where: string[] = stryMutAct_9fa48("698") ? ["Stryker was here"] : (stryCov_9fa48("698"), []);
        if (stryMutAct_9fa48("701") ? filter.connectionId === undefined : stryMutAct_9fa48("700") ? false : stryMutAct_9fa48("699") ? true : (stryCov_9fa48("699", "700", "701"), filter.connectionId !== undefined)) where.push(stryMutAct_9fa48("702") ? "" : (stryCov_9fa48("702"), "connection_id = ?"));
        if (stryMutAct_9fa48("705") ? filter.strategies === undefined : stryMutAct_9fa48("704") ? false : stryMutAct_9fa48("703") ? true : (stryCov_9fa48("703", "704", "705"), filter.strategies !== undefined)) {
          if (stryMutAct_9fa48("706")) {
            {}
          } else {
            stryCov_9fa48("706");
            where.push(stryMutAct_9fa48("707") ? `` : (stryCov_9fa48("707"), `strategy IN (${stryMutAct_9fa48("710") ? filter.strategies.map(() => "?").join(", ") && "NULL" : stryMutAct_9fa48("709") ? false : stryMutAct_9fa48("708") ? true : (stryCov_9fa48("708", "709", "710"), filter.strategies.map(stryMutAct_9fa48("711") ? () => undefined : (stryCov_9fa48("711"), () => stryMutAct_9fa48("712") ? "" : (stryCov_9fa48("712"), "?"))).join(stryMutAct_9fa48("713") ? "" : (stryCov_9fa48("713"), ", ")) || (stryMutAct_9fa48("714") ? "" : (stryCov_9fa48("714"), "NULL")))})`));
          }
        }
        if (stryMutAct_9fa48("716") ? false : stryMutAct_9fa48("715") ? true : (stryCov_9fa48("715", "716"), filter.enabledOnly)) {
          if (stryMutAct_9fa48("717")) {
            {}
          } else {
            stryCov_9fa48("717");
            where.push(stryMutAct_9fa48("718") ? "" : (stryCov_9fa48("718"), "connection_id IN (SELECT id FROM connections WHERE status = 1)"));
          }
        }
        const sql = stryMutAct_9fa48("719") ? `` : (stryCov_9fa48("719"), `SELECT ${count ? stryMutAct_9fa48("720") ? "" : (stryCov_9fa48("720"), "count(*) AS total") : stryMutAct_9fa48("721") ? "" : (stryCov_9fa48("721"), "connection_id, body")} FROM users${(stryMutAct_9fa48("725") ? where.length <= 0 : stryMutAct_9fa48("724") ? where.length >= 0 : stryMutAct_9fa48("723") ? false : stryMutAct_9fa48("722") ? true : (stryCov_9fa48("722", "723", "724", "725"), where.length > 0)) ? stryMutAct_9fa48("726") ? `` : (stryCov_9fa48("726"), ` WHERE ${where.join(stryMutAct_9fa48("727") ? "" : (stryCov_9fa48("727"), " AND "))}`) : stryMutAct_9fa48("728") ? "Stryker was here!" : (stryCov_9fa48("728"), "")}${count ? stryMutAct_9fa48("729") ? "Stryker was here!" : (stryCov_9fa48("729"), "") : stryMutAct_9fa48("730") ? "" : (stryCov_9fa48("730"), " ORDER BY seq")}${(stryMutAct_9fa48("733") ? sliced || !count : stryMutAct_9fa48("732") ? false : stryMutAct_9fa48("731") ? true : (stryCov_9fa48("731", "732", "733"), sliced && (stryMutAct_9fa48("734") ? count : (stryCov_9fa48("734"), !count)))) ? stryMutAct_9fa48("735") ? "" : (stryCov_9fa48("735"), " LIMIT ? OFFSET ?") : stryMutAct_9fa48("736") ? "Stryker was here!" : (stryCov_9fa48("736"), "")}`);
        let statement = userQueries.get(sql);
        if (stryMutAct_9fa48("739") ? false : stryMutAct_9fa48("738") ? true : stryMutAct_9fa48("737") ? statement : (stryCov_9fa48("737", "738", "739"), !statement)) {
          if (stryMutAct_9fa48("740")) {
            {}
          } else {
            stryCov_9fa48("740");
            statement = db.prepare(sql);
            userQueries.set(sql, statement);
          }
        }
        return statement;
      }
    }

    // The list of connections is read far more often than written: it is kept until a write
    // commits, whether through this store or through another process sharing the file. Its version
    // counts this store's own commits and carries the file's data_version, which changes on commits
    // of other processes; `ConnectionList` promises callers nothing more.
    let listCache: ConnectionList | undefined;
    let ownCommits = 0;

    // Read once per turn of the event loop: a commit by another process is seen from the next turn,
    // just as if the read had come a moment earlier.
    let dataVersion: number | undefined;
    const currentDataVersion = (): number => {
      if (stryMutAct_9fa48("741")) {
        {}
      } else {
        stryCov_9fa48("741");
        if (stryMutAct_9fa48("744") ? dataVersion !== undefined : stryMutAct_9fa48("743") ? false : stryMutAct_9fa48("742") ? true : (stryCov_9fa48("742", "743", "744"), dataVersion === undefined)) {
          if (stryMutAct_9fa48("745")) {
            {}
          } else {
            stryCov_9fa48("745");
            dataVersion = statements.dataVersion.get() as number;
            setImmediate(() => {
              if (stryMutAct_9fa48("746")) {
                {}
              } else {
                stryCov_9fa48("746");
                dataVersion = undefined;
              }
            });
          }
        }
        return dataVersion;
      }
    };
    let queue: PendingWrite[] = stryMutAct_9fa48("747") ? ["Stryker was here"] : (stryCov_9fa48("747"), []);
    let scheduled = stryMutAct_9fa48("748") ? true : (stryCov_9fa48("748"), false);
    let closed = stryMutAct_9fa48("749") ? true : (stryCov_9fa48("749"), false);
    const flush = () => {
      if (stryMutAct_9fa48("750")) {
        {}
      } else {
        stryCov_9fa48("750");
        scheduled = stryMutAct_9fa48("751") ? true : (stryCov_9fa48("751"), false);
        const batch = queue;
        queue = stryMutAct_9fa48("752") ? ["Stryker was here"] : (stryCov_9fa48("752"), []);
        if (stryMutAct_9fa48("755") ? batch.length !== 0 : stryMutAct_9fa48("754") ? false : stryMutAct_9fa48("753") ? true : (stryCov_9fa48("753", "754", "755"), batch.length === 0)) return;
        // Once a sync failed, nothing is written that could not be acknowledged.
        const failure = durability.failure();
        if (stryMutAct_9fa48("757") ? false : stryMutAct_9fa48("756") ? true : (stryCov_9fa48("756", "757"), failure)) {
          if (stryMutAct_9fa48("758")) {
            {}
          } else {
            stryCov_9fa48("758");
            for (const pending of batch) pending.reject(failure);
            return;
          }
        }
        let outcomes: WriteOutcome[];
        try {
          if (stryMutAct_9fa48("759")) {
            {}
          } else {
            stryCov_9fa48("759");
            outcomes = applyBatch(batch.map(stryMutAct_9fa48("760") ? () => undefined : (stryCov_9fa48("760"), p => p.op)));
          }
        } catch (error) {
          if (stryMutAct_9fa48("761")) {
            {}
          } else {
            stryCov_9fa48("761");
            // The commit itself failed (disk full, I/O error): nothing of the batch was written.
            for (const pending of batch) pending.reject(storeError(error));
            return;
          }
        }
        // A token's save or pruning leaves the list as it was, and its cache with it.
        if (stryMutAct_9fa48("764") ? batch.every(pending => CONNECTION_WRITES.has(pending.op.kind)) : stryMutAct_9fa48("763") ? false : stryMutAct_9fa48("762") ? true : (stryCov_9fa48("762", "763", "764"), batch.some(stryMutAct_9fa48("765") ? () => undefined : (stryCov_9fa48("765"), pending => CONNECTION_WRITES.has(pending.op.kind))))) stryMutAct_9fa48("766") ? ownCommits-- : (stryCov_9fa48("766"), ownCommits++);
        durability.committed().then(stryMutAct_9fa48("767") ? () => undefined : (stryCov_9fa48("767"), () => batch.forEach((pending, i) => {
          if (stryMutAct_9fa48("768")) {
            {}
          } else {
            stryCov_9fa48("768");
            const outcome = outcomes[i];
            if (stryMutAct_9fa48("771") ? outcome.ok : stryMutAct_9fa48("770") ? false : stryMutAct_9fa48("769") ? true : (stryCov_9fa48("769", "770", "771"), outcome?.ok)) pending.resolve(outcome.value);else if (stryMutAct_9fa48("774") ? outcome?.nameTaken || "row" in pending.op : stryMutAct_9fa48("773") ? false : stryMutAct_9fa48("772") ? true : (stryCov_9fa48("772", "773", "774"), (stryMutAct_9fa48("775") ? outcome.nameTaken : (stryCov_9fa48("775"), outcome?.nameTaken)) && (stryMutAct_9fa48("776") ? "" : (stryCov_9fa48("776"), "row")) in pending.op)) pending.reject(new NameTakenError(pending.op.row.name));else pending.reject(storeError(stryMutAct_9fa48("777") ? outcome?.error && new Error("The write failed.") : (stryCov_9fa48("777"), (stryMutAct_9fa48("778") ? outcome.error : (stryCov_9fa48("778"), outcome?.error)) ?? new Error(stryMutAct_9fa48("779") ? "" : (stryCov_9fa48("779"), "The write failed.")))));
          }
        })), (error: unknown) => {
          if (stryMutAct_9fa48("780")) {
            {}
          } else {
            stryCov_9fa48("780");
            for (const pending of batch) pending.reject(error);
          }
        });
      }
    };
    const write = <T,>(op: WriteOp): Promise<T> => {
      if (stryMutAct_9fa48("781")) {
        {}
      } else {
        stryCov_9fa48("781");
        if (stryMutAct_9fa48("783") ? false : stryMutAct_9fa48("782") ? true : (stryCov_9fa48("782", "783"), closed)) return Promise.reject(new Error(stryMutAct_9fa48("784") ? "" : (stryCov_9fa48("784"), "The store is closed.")));
        return new Promise<T>((resolve, reject) => {
          if (stryMutAct_9fa48("785")) {
            {}
          } else {
            stryCov_9fa48("785");
            queue.push(stryMutAct_9fa48("786") ? {} : (stryCov_9fa48("786"), {
              op,
              resolve: resolve as (value: unknown) => void,
              reject
            }));
            // Writes that arrive in the same round of I/O join one transaction.
            if (stryMutAct_9fa48("789") ? false : stryMutAct_9fa48("788") ? true : stryMutAct_9fa48("787") ? scheduled : (stryCov_9fa48("787", "788", "789"), !scheduled)) {
              if (stryMutAct_9fa48("790")) {
                {}
              } else {
                stryCov_9fa48("790");
                scheduled = stryMutAct_9fa48("791") ? false : (stryCov_9fa48("791"), true);
                setImmediate(flush);
              }
            }
          }
        });
      }
    };

    /** Answers `value` once nothing it may have seen can still be lost. */
    const durable = async <T,>(value: T): Promise<T> => {
      if (stryMutAct_9fa48("792")) {
        {}
      } else {
        stryCov_9fa48("792");
        const wait = durability.settled();
        if (stryMutAct_9fa48("794") ? false : stryMutAct_9fa48("793") ? true : (stryCov_9fa48("793", "794"), wait)) await wait;
        return value;
      }
    };
    return stryMutAct_9fa48("795") ? {} : (stryCov_9fa48("795"), {
      async listConnections() {
        if (stryMutAct_9fa48("796")) {
          {}
        } else {
          stryCov_9fa48("796");
          const version = stryMutAct_9fa48("797") ? `` : (stryCov_9fa48("797"), `${ownCommits}.${currentDataVersion()}`);
          if (stryMutAct_9fa48("800") ? listCache?.version === version : stryMutAct_9fa48("799") ? false : stryMutAct_9fa48("798") ? true : (stryCov_9fa48("798", "799", "800"), (stryMutAct_9fa48("801") ? listCache.version : (stryCov_9fa48("801"), listCache?.version)) !== version)) {
            if (stryMutAct_9fa48("802")) {
              {}
            } else {
              stryCov_9fa48("802");
              listCache = stryMutAct_9fa48("803") ? {} : (stryCov_9fa48("803"), {
                version,
                records: Object.freeze(statements.list.all().map(fromRow))
              });
            }
          }
          return durable(listCache);
        }
      },
      async getConnection(name) {
        if (stryMutAct_9fa48("804")) {
          {}
        } else {
          stryCov_9fa48("804");
          const row = statements.get.get(name);
          return durable(row ? fromRow(row) : undefined);
        }
      },
      insertConnection: stryMutAct_9fa48("805") ? () => undefined : (stryCov_9fa48("805"), c => write<void>(stryMutAct_9fa48("806") ? {} : (stryCov_9fa48("806"), {
        kind: stryMutAct_9fa48("807") ? "" : (stryCov_9fa48("807"), "insertConnection"),
        row: toRow(c)
      }))),
      replaceConnection: stryMutAct_9fa48("808") ? () => undefined : (stryCov_9fa48("808"), c => write<boolean>(stryMutAct_9fa48("809") ? {} : (stryCov_9fa48("809"), {
        kind: stryMutAct_9fa48("810") ? "" : (stryCov_9fa48("810"), "replaceConnection"),
        row: toRow(c)
      }))),
      deleteConnection: stryMutAct_9fa48("811") ? () => undefined : (stryCov_9fa48("811"), name => write<string | undefined>(stryMutAct_9fa48("812") ? {} : (stryCov_9fa48("812"), {
        kind: stryMutAct_9fa48("813") ? "" : (stryCov_9fa48("813"), "deleteConnection"),
        name
      }))),
      async listUsers(filter, slice?: Slice) {
        if (stryMutAct_9fa48("814")) {
          {}
        } else {
          stryCov_9fa48("814");
          const params: unknown[] = stryMutAct_9fa48("815") ? ["Stryker was here"] : (stryCov_9fa48("815"), []);
          if (stryMutAct_9fa48("818") ? filter.connectionId === undefined : stryMutAct_9fa48("817") ? false : stryMutAct_9fa48("816") ? true : (stryCov_9fa48("816", "817", "818"), filter.connectionId !== undefined)) params.push(filter.connectionId);
          if (stryMutAct_9fa48("821") ? filter.strategies === undefined : stryMutAct_9fa48("820") ? false : stryMutAct_9fa48("819") ? true : (stryCov_9fa48("819", "820", "821"), filter.strategies !== undefined)) params.push(...filter.strategies);
          const rows = userQuery(filter, slice !== undefined, false).all(...params, ...(slice ? [slice.limit, slice.offset] : [])) as {
            connection_id: string;
            body: string;
          }[];
          const users = rows.map(stryMutAct_9fa48("822") ? () => undefined : (stryCov_9fa48("822"), r => stryMutAct_9fa48("823") ? {} : (stryCov_9fa48("823"), {
            connectionId: r.connection_id,
            user: JSON.parse(r.body) as UserRecord["user"]
          })));
          const total = slice ? (userQuery(filter, true, true).get(...params) as {
            total: number;
          }).total : users.length;
          return durable(stryMutAct_9fa48("824") ? {} : (stryCov_9fa48("824"), {
            users,
            total
          }));
        }
      },
      seedOnce: stryMutAct_9fa48("825") ? () => undefined : (stryCov_9fa48("825"), (connections, users) => write<boolean>(seedOp(connections, users))),
      saveToken: stryMutAct_9fa48("826") ? () => undefined : (stryCov_9fa48("826"), token => write<void>(stryMutAct_9fa48("827") ? {} : (stryCov_9fa48("827"), {
        kind: stryMutAct_9fa48("828") ? "" : (stryCov_9fa48("828"), "saveToken"),
        token: stryMutAct_9fa48("829") ? {} : (stryCov_9fa48("829"), {
          ...token
        })
      }))),
      async findToken(hash) {
        if (stryMutAct_9fa48("830")) {
          {}
        } else {
          stryCov_9fa48("830");
          const row = statements.findToken.get(hash);
          return durable(row ? stryMutAct_9fa48("831") ? {} : (stryCov_9fa48("831"), {
            hash: row.hash,
            clientId: row.client_id,
            issuedAt: row.issued_at,
            expiresAt: row.expires_at
          }) : undefined);
        }
      },
      pruneTokens: stryMutAct_9fa48("832") ? () => undefined : (stryCov_9fa48("832"), pruning => write<number>(stryMutAct_9fa48("833") ? {} : (stryCov_9fa48("833"), {
        kind: stryMutAct_9fa48("834") ? "" : (stryCov_9fa48("834"), "pruneTokens"),
        pruning: stryMutAct_9fa48("835") ? {} : (stryCov_9fa48("835"), {
          ...pruning
        })
      }))),
      async check() {
        if (stryMutAct_9fa48("836")) {
          {}
        } else {
          stryCov_9fa48("836");
          const failure = durability.failure();
          if (stryMutAct_9fa48("839") ? closed && failure : stryMutAct_9fa48("838") ? false : stryMutAct_9fa48("837") ? true : (stryCov_9fa48("837", "838", "839"), closed || failure)) {
            if (stryMutAct_9fa48("840")) {
              {}
            } else {
              stryCov_9fa48("840");
              throw new StoreUnavailableError(closed ? stryMutAct_9fa48("841") ? "" : (stryCov_9fa48("841"), "The store is closed.") : stryMutAct_9fa48("842") ? `` : (stryCov_9fa48("842"), `${stryMutAct_9fa48("843") ? failure.message : (stryCov_9fa48("843"), failure?.message)} Restart the server.`));
            }
          }
          statements.check.get();
        }
      },
      async close() {
        if (stryMutAct_9fa48("844")) {
          {}
        } else {
          stryCov_9fa48("844");
          if (stryMutAct_9fa48("846") ? false : stryMutAct_9fa48("845") ? true : (stryCov_9fa48("845", "846"), closed)) return;
          closed = stryMutAct_9fa48("847") ? false : (stryCov_9fa48("847"), true);
          // Every write already accepted is committed and synced before the database closes.
          flush();
          await durability.close();
          db.close();
        }
      }
    });
  }
}
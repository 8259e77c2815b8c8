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
import { randomFillSync } from "node:crypto";
import { propertyDefaults, provisionedStrategies, type Strategy, variantRef } from "@mgmtkit/spec/model";
import type { ConnectionRecord } from "./storage.js";
import type { ConnectionCreateBody } from "./validation.js";
const ALPHABET = stryMutAct_9fa48("0") ? "" : (stryCov_9fa48("0"), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

// Identifiers are drawn from a pool refilled 4 KiB at a time: one call into the system's random
// source per few hundred connections instead of two per connection.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function randomBytes(length: number): Buffer {
  if (stryMutAct_9fa48("1")) {
    {}
  } else {
    stryCov_9fa48("1");
    if (stryMutAct_9fa48("5") ? poolOffset + length <= pool.length : stryMutAct_9fa48("4") ? poolOffset + length >= pool.length : stryMutAct_9fa48("3") ? false : stryMutAct_9fa48("2") ? true : (stryCov_9fa48("2", "3", "4", "5"), (stryMutAct_9fa48("6") ? poolOffset - length : (stryCov_9fa48("6"), poolOffset + length)) > pool.length)) {
      if (stryMutAct_9fa48("7")) {
        {}
      } else {
        stryCov_9fa48("7");
        randomFillSync(pool);
        poolOffset = 0;
      }
    }
    const bytes = pool.subarray(poolOffset, stryMutAct_9fa48("8") ? poolOffset - length : (stryCov_9fa48("8"), poolOffset + length));
    stryMutAct_9fa48("9") ? poolOffset -= length : (stryCov_9fa48("9"), poolOffset += length);
    return bytes;
  }
}
function randomText(length: number): string {
  if (stryMutAct_9fa48("10")) {
    {}
  } else {
    stryCov_9fa48("10");
    const bytes = randomBytes(length);
    let out = stryMutAct_9fa48("11") ? "Stryker was here!" : (stryCov_9fa48("11"), "");
    // 62 does not divide 256, but the slight bias does not matter for identifiers.
    for (const b of bytes) stryMutAct_9fa48("12") ? out -= ALPHABET[b % ALPHABET.length] : (stryCov_9fa48("12"), out += ALPHABET[stryMutAct_9fa48("13") ? b * ALPHABET.length : (stryCov_9fa48("13"), b % ALPHABET.length)]);
    return out;
  }
}
function newConnectionId(): string {
  if (stryMutAct_9fa48("14")) {
    {}
  } else {
    stryCov_9fa48("14");
    return stryMutAct_9fa48("15") ? `` : (stryCov_9fa48("15"), `con_${randomText(16)}`);
  }
}
function newProvisioningTicket(): string {
  if (stryMutAct_9fa48("16")) {
    {}
  } else {
    stryCov_9fa48("16");
    return randomBytes(10).toString(stryMutAct_9fa48("17") ? "" : (stryCov_9fa48("17"), "hex"));
  }
}

/** The fields of a create or replace body the server keeps (server-owned ones are dropped). */
export interface ConnectionInput {
  name: string;
  status: number;
  strategy: Strategy;
  options: Record<string, unknown>;
}

// What a create leaves out takes the spec's default; the same for every strategy today, but read
// per strategy since each variant declares its own.
const defaultsByStrategy = new Map<Strategy, {
  status: number;
  options: Record<string, unknown>;
}>();
function defaultsOf(strategy: Strategy): {
  status: number;
  options: Record<string, unknown>;
} {
  if (stryMutAct_9fa48("18")) {
    {}
  } else {
    stryCov_9fa48("18");
    let defaults = defaultsByStrategy.get(strategy);
    if (stryMutAct_9fa48("21") ? false : stryMutAct_9fa48("20") ? true : stryMutAct_9fa48("19") ? defaults : (stryCov_9fa48("19", "20", "21"), !defaults)) {
      if (stryMutAct_9fa48("22")) {
        {}
      } else {
        stryCov_9fa48("22");
        const declared = propertyDefaults(variantRef(stryMutAct_9fa48("23") ? "" : (stryCov_9fa48("23"), "ConnectionCreate"), strategy));
        defaults = stryMutAct_9fa48("24") ? {} : (stryCov_9fa48("24"), {
          status: (stryMutAct_9fa48("27") ? typeof declared.status !== "number" : stryMutAct_9fa48("26") ? false : stryMutAct_9fa48("25") ? true : (stryCov_9fa48("25", "26", "27"), typeof declared.status === (stryMutAct_9fa48("28") ? "" : (stryCov_9fa48("28"), "number")))) ? declared.status : 1,
          options: isObject(declared.options) ? declared.options : {}
        });
        defaultsByStrategy.set(strategy, defaults);
      }
    }
    return defaults;
  }
}
function isObject(value: unknown): value is Record<string, unknown> {
  if (stryMutAct_9fa48("29")) {
    {}
  } else {
    stryCov_9fa48("29");
    return stryMutAct_9fa48("32") ? typeof value === "object" && value !== null || !Array.isArray(value) : stryMutAct_9fa48("31") ? false : stryMutAct_9fa48("30") ? true : (stryCov_9fa48("30", "31", "32"), (stryMutAct_9fa48("34") ? typeof value === "object" || value !== null : stryMutAct_9fa48("33") ? true : (stryCov_9fa48("33", "34"), (stryMutAct_9fa48("36") ? typeof value !== "object" : stryMutAct_9fa48("35") ? true : (stryCov_9fa48("35", "36"), typeof value === (stryMutAct_9fa48("37") ? "" : (stryCov_9fa48("37"), "object")))) && (stryMutAct_9fa48("39") ? value === null : stryMutAct_9fa48("38") ? true : (stryCov_9fa48("38", "39"), value !== null)))) && (stryMutAct_9fa48("40") ? Array.isArray(value) : (stryCov_9fa48("40"), !Array.isArray(value))));
  }
}

/**
 * The fields of a validated create or replace body the server keeps. The server-owned ones (`id`,
 * `client_id`, `provisioning_*`) and unknown properties are ignored, and what a create left out
 * takes the spec's default (spec quirk 16).
 */
export function connectionInput(body: ConnectionCreateBody): ConnectionInput {
  if (stryMutAct_9fa48("41")) {
    {}
  } else {
    stryCov_9fa48("41");
    const defaults = defaultsOf(body.strategy);
    return stryMutAct_9fa48("42") ? {} : (stryCov_9fa48("42"), {
      name: body.name,
      status: stryMutAct_9fa48("43") ? body.status && defaults.status : (stryCov_9fa48("43"), body.status ?? defaults.status),
      strategy: body.strategy,
      options: stryMutAct_9fa48("44") ? body.options && {
        ...defaults.options
      } : (stryCov_9fa48("44"), body.options ?? (stryMutAct_9fa48("45") ? {} : (stryCov_9fa48("45"), {
        ...defaults.options
      })))
    });
  }
}

/** Builds a new stored connection from a validated create body. */
export function newConnection(input: ConnectionInput, clientId: string): ConnectionRecord {
  if (stryMutAct_9fa48("46")) {
    {}
  } else {
    stryCov_9fa48("46");
    const record: ConnectionRecord = stryMutAct_9fa48("47") ? {} : (stryCov_9fa48("47"), {
      id: newConnectionId(),
      client_id: clientId,
      name: input.name,
      status: input.status,
      strategy: input.strategy,
      options: input.options
    });
    if (stryMutAct_9fa48("49") ? false : stryMutAct_9fa48("48") ? true : (stryCov_9fa48("48", "49"), provisionedStrategies.includes(input.strategy))) {
      if (stryMutAct_9fa48("50")) {
        {}
      } else {
        stryCov_9fa48("50");
        record.provisioning_ticket = newProvisioningTicket();
      }
    }
    return record;
  }
}

/**
 * Applies a validated replacement body (same name and strategy), keeping what the server owns: the
 * id, the client and the ticket.
 */
export function replacedConnection(current: ConnectionRecord, input: ConnectionInput): ConnectionRecord {
  if (stryMutAct_9fa48("51")) {
    {}
  } else {
    stryCov_9fa48("51");
    const record: ConnectionRecord = stryMutAct_9fa48("52") ? {} : (stryCov_9fa48("52"), {
      id: current.id,
      client_id: current.client_id,
      name: current.name,
      status: input.status,
      strategy: input.strategy,
      options: input.options
    });
    if (stryMutAct_9fa48("54") ? false : stryMutAct_9fa48("53") ? true : (stryCov_9fa48("53", "54"), provisionedStrategies.includes(input.strategy))) {
      if (stryMutAct_9fa48("55")) {
        {}
      } else {
        stryCov_9fa48("55");
        record.provisioning_ticket = stryMutAct_9fa48("56") ? current.provisioning_ticket && newProvisioningTicket() : (stryCov_9fa48("56"), current.provisioning_ticket ?? newProvisioningTicket());
      }
    }
    return record;
  }
}

/** The URL, under the server's `baseUrl`, where a provisioning ticket is explained. */
export function provisioningUrl(baseUrl: string, strategy: string, ticket: string): string {
  if (stryMutAct_9fa48("57")) {
    {}
  } else {
    stryCov_9fa48("57");
    return stryMutAct_9fa48("58") ? `` : (stryCov_9fa48("58"), `${baseUrl}/p/${encodeURIComponent(strategy)}/${ticket}`);
  }
}

/** The connection object as the API answers it; `baseUrl` is the URL the client reached. */
export function connectionBody(record: ConnectionRecord, baseUrl: string): Record<string, unknown> {
  if (stryMutAct_9fa48("59")) {
    {}
  } else {
    stryCov_9fa48("59");
    const body: Record<string, unknown> = stryMutAct_9fa48("60") ? {} : (stryCov_9fa48("60"), {
      id: record.id,
      client_id: record.client_id,
      name: record.name,
      status: record.status,
      strategy: record.strategy,
      options: record.options
    });
    if (stryMutAct_9fa48("63") ? record.provisioning_ticket === undefined : stryMutAct_9fa48("62") ? false : stryMutAct_9fa48("61") ? true : (stryCov_9fa48("61", "62", "63"), record.provisioning_ticket !== undefined)) {
      if (stryMutAct_9fa48("64")) {
        {}
      } else {
        stryCov_9fa48("64");
        body.provisioning_ticket = record.provisioning_ticket;
        body.provisioning_ticket_url = provisioningUrl(baseUrl, record.strategy, record.provisioning_ticket);
      }
    }
    return body;
  }
}
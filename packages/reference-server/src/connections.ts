import { randomFillSync } from "node:crypto";
import {
  propertyDefaults,
  provisionedStrategies,
  type Strategy,
  variantRef,
} from "@mgmtkit/spec/model";
import type { ConnectionRecord } from "./storage.js";
import type { ConnectionCreateBody } from "./validation.js";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// Identifiers are drawn from a pool refilled 4 KiB at a time: one call into the system's random
// source per few hundred connections instead of two per connection.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomBytes(length: number): Buffer {
  if (poolOffset + length > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + length);
  poolOffset += length;
  return bytes;
}

function randomText(length: number): string {
  const bytes = randomBytes(length);
  let out = "";
  // 62 does not divide 256, but the slight bias does not matter for identifiers.
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

function newConnectionId(): string {
  return `con_${randomText(16)}`;
}

function newProvisioningTicket(): string {
  return randomBytes(10).toString("hex");
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
const defaultsByStrategy = new Map<
  Strategy,
  { status: number; options: Record<string, unknown> }
>();

function defaultsOf(strategy: Strategy): { status: number; options: Record<string, unknown> } {
  let defaults = defaultsByStrategy.get(strategy);
  if (!defaults) {
    const declared = propertyDefaults(variantRef("ConnectionCreate", strategy));
    defaults = {
      status: typeof declared.status === "number" ? declared.status : 1,
      options: isObject(declared.options) ? declared.options : {},
    };
    defaultsByStrategy.set(strategy, defaults);
  }
  return defaults;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The fields of a validated create or replace body the server keeps. The server-owned ones (`id`,
 * `client_id`, `provisioning_*`) and unknown properties are ignored, and what a create left out
 * takes the spec's default (spec quirk 16).
 */
export function connectionInput(body: ConnectionCreateBody): ConnectionInput {
  const defaults = defaultsOf(body.strategy);
  return {
    name: body.name,
    status: body.status ?? defaults.status,
    strategy: body.strategy,
    options: body.options ?? { ...defaults.options },
  };
}

/** Builds a new stored connection from a validated create body. */
export function newConnection(input: ConnectionInput, clientId: string): ConnectionRecord {
  const record: ConnectionRecord = {
    id: newConnectionId(),
    client_id: clientId,
    name: input.name,
    status: input.status,
    strategy: input.strategy,
    options: input.options,
  };
  if (provisionedStrategies.includes(input.strategy)) {
    record.provisioning_ticket = newProvisioningTicket();
  }
  return record;
}

/**
 * Applies a validated replacement body (same name and strategy), keeping what the server owns: the
 * id, the client and the ticket.
 */
export function replacedConnection(
  current: ConnectionRecord,
  input: ConnectionInput,
): ConnectionRecord {
  const record: ConnectionRecord = {
    id: current.id,
    client_id: current.client_id,
    name: current.name,
    status: input.status,
    strategy: input.strategy,
    options: input.options,
  };
  if (provisionedStrategies.includes(input.strategy)) {
    record.provisioning_ticket = current.provisioning_ticket ?? newProvisioningTicket();
  }
  return record;
}

/** The URL, under the server's `baseUrl`, where a provisioning ticket is explained. */
export function provisioningUrl(baseUrl: string, strategy: string, ticket: string): string {
  return `${baseUrl}/p/${encodeURIComponent(strategy)}/${ticket}`;
}

/** The connection object as the API answers it; `baseUrl` is the URL the client reached. */
export function connectionBody(record: ConnectionRecord, baseUrl: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: record.id,
    client_id: record.client_id,
    name: record.name,
    status: record.status,
    strategy: record.strategy,
    options: record.options,
  };
  if (record.provisioning_ticket !== undefined) {
    body.provisioning_ticket = record.provisioning_ticket;
    body.provisioning_ticket_url = provisioningUrl(
      baseUrl,
      record.strategy,
      record.provisioning_ticket,
    );
  }
  return body;
}

import { randomFillSync } from "node:crypto";
import type { ConnectionRecord } from "./storage.js";

/** Strategies whose connections carry a provisioning ticket, as the document lists them. */
export const PROVISIONED_STRATEGIES: ReadonlySet<string> = new Set([
  "office365",
  "google-apps",
  "adfs",
]);

/** The social strategies among the documented ones; the others are enterprise directories. */
export const SOCIAL_STRATEGIES: readonly string[] = ["google-oauth2", "windowslive"];

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

/** The fields of a create or replace body the server keeps (server-assigned ones are dropped). */
export interface ConnectionInput {
  client_id?: string;
  name: string;
  status: number;
  strategy: string;
  options: Record<string, unknown>;
}

/** Builds a new stored connection from a validated create body. */
export function newConnection(input: ConnectionInput, defaultClientId: string): ConnectionRecord {
  const record: ConnectionRecord = {
    id: newConnectionId(),
    client_id: input.client_id ?? defaultClientId,
    name: input.name,
    status: input.status,
    strategy: input.strategy,
    options: input.options,
  };
  if (PROVISIONED_STRATEGIES.has(input.strategy)) {
    record.provisioning_ticket = newProvisioningTicket();
  }
  return record;
}

/** Applies a validated replacement body (same name and strategy), keeping the id and the ticket. */
export function replacedConnection(
  current: ConnectionRecord,
  input: ConnectionInput & { client_id: string },
): ConnectionRecord {
  const record: ConnectionRecord = {
    id: current.id,
    client_id: input.client_id,
    name: current.name,
    status: input.status,
    strategy: input.strategy,
    options: input.options,
  };
  if (PROVISIONED_STRATEGIES.has(input.strategy)) {
    record.provisioning_ticket = current.provisioning_ticket ?? newProvisioningTicket();
  }
  return record;
}

/** The path, under the server's URL, where a provisioning ticket is explained. */
export function provisioningPath(strategy: string, ticket: string): string {
  return `/p/${encodeURIComponent(strategy)}/${ticket}`;
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
    body.provisioning_ticket_url = `${baseUrl}${provisioningPath(record.strategy, record.provisioning_ticket)}`;
  }
  return body;
}

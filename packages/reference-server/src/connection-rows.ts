import type { ConnectionRecord } from "./storage.js";

/**
 * A connection as a row of either store's `connections` table: `options` as the JSON text it was
 * sent as (so that it comes back byte for byte), a missing ticket as NULL. Each store adapts what
 * its own column types need on top of this (the PostgreSQL store encodes client ids).
 */
export interface ConnectionRow {
  id: string;
  name: string;
  client_id: string;
  status: number;
  strategy: string;
  options: string;
  provisioning_ticket: string | null;
}

export function fromRow(row: ConnectionRow): ConnectionRecord {
  const record: ConnectionRecord = {
    id: row.id,
    client_id: row.client_id,
    name: row.name,
    status: row.status,
    strategy: row.strategy,
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
  if (row.provisioning_ticket !== null) record.provisioning_ticket = row.provisioning_ticket;
  return record;
}

export function toRow(c: ConnectionRecord): ConnectionRow {
  return {
    id: c.id,
    name: c.name,
    client_id: c.client_id,
    status: c.status,
    strategy: c.strategy,
    options: JSON.stringify(c.options),
    provisioning_ticket: c.provisioning_ticket ?? null,
  };
}

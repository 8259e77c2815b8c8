// The in-memory store of one server: its connections by name and the users who logged in
// through them. Every server gets its own, loaded from seed.json; nothing is shared.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { provisioned, social } from "./strategies.js";

/**
 * @typedef {{ name: string, strategy: string, status: number, options: Record<string, unknown> }} ConnectionInput
 * @typedef {ConnectionInput & { id: string, provisioning_ticket?: string }} Connection
 * @typedef {{ identities: { connection: string }[] } & Record<string, unknown>} User
 */

const seed = JSON.parse(readFileSync(new URL("./seed.json", import.meta.url), "utf8"));

/** A fresh random id, in the 24 hexadecimal digits of the document store of the time. */
const newId = () => randomBytes(12).toString("hex");

export class Store {
  /** @type {Map<string, Connection>} */
  #connections = new Map();
  /** @type {User[]} */
  #users = structuredClone(seed.users);

  constructor() {
    for (const connection of structuredClone(seed.connections)) {
      this.#connections.set(connection.name, withTicket(connection));
    }
  }

  /** @returns {Connection[]} */
  list() {
    return [...this.#connections.values()];
  }

  /** @param {string} name */
  get(name) {
    return this.#connections.get(name);
  }

  /**
   * @param {ConnectionInput} input
   * @returns {Connection | undefined} undefined when the name is taken
   */
  create(input) {
    if (this.#connections.has(input.name)) return undefined;
    const connection = withTicket({ ...input, id: newId() });
    this.#connections.set(connection.name, connection);
    return connection;
  }

  /**
   * Replaces the whole connection but its id (and its ticket while the strategy has one).
   * @param {Connection} current
   * @param {ConnectionInput} input
   */
  replace(current, input) {
    const ticket = provisioned.has(input.strategy) ? current.provisioning_ticket : undefined;
    const connection = withTicket({
      ...input,
      id: current.id,
      ...(ticket ? { provisioning_ticket: ticket } : {}),
    });
    this.#connections.set(connection.name, connection);
    return connection;
  }

  /** @param {Connection} connection */
  remove(connection) {
    this.#connections.delete(connection.name);
  }

  users() {
    return this.#users;
  }

  /** Users with an identity on the connection named. @param {string} name */
  usersOf(name) {
    return this.#users.filter((user) => user.identities.some((i) => i.connection === name));
  }

  /** Users with an identity on an enabled social connection. */
  socialUsers() {
    const enabled = this.list().filter((c) => social.has(c.strategy) && c.status === 1);
    return this.#users.filter((user) =>
      user.identities.some((i) => enabled.some((c) => c.name === i.connection)),
    );
  }
}

/**
 * The connection with a provisioning ticket when its strategy has one (kept when it had one).
 * @param {Connection} connection
 * @returns {Connection}
 */
function withTicket(connection) {
  if (!provisioned.has(connection.strategy)) {
    const { provisioning_ticket: _dropped, ...rest } = connection;
    return rest;
  }
  return { ...connection, provisioning_ticket: connection.provisioning_ticket ?? newId() };
}

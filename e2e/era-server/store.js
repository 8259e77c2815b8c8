// The in-memory store of one server: its connections by name and the users who logged in
// through them. Every server gets its own, loaded from seed.json; nothing is shared.
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { provisioned, social } from "./strategies.js";

/**
 * @typedef {{ name: string, strategy: string, status: number, options: Record<string, unknown> }} ConnectionInput
 * @typedef {ConnectionInput & { id: string, provisioning_ticket?: string, provisioning_ticket_url?: string }} Connection
 * @typedef {{ identities: { connection: string }[] } & Record<string, unknown>} User
 */

const seed = createRequire(import.meta.url)("./seed.json");

/** A fresh random id, in the 24 hexadecimal digits of the document store of the time. */
const newId = () => randomBytes(12).toString("hex");

export class Store {
  /** @type {Map<string, Connection>} */
  #connections = new Map();
  /** @type {User[]} */
  #users = seed.users;

  constructor() {
    for (const connection of seed.connections) this.#connections.set(connection.name, connection);
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
   * A new connection, with a provisioning ticket when its strategy has one.
   * @param {ConnectionInput} input
   * @param {string} origin the server's, for the ticket's URL
   * @returns {Connection | undefined} undefined when the name is taken
   */
  create(input, origin) {
    if (this.#connections.has(input.name)) return undefined;
    const ticket = newId();
    /** @type {Connection} */
    const connection = provisioned.has(input.strategy)
      ? {
          ...input,
          id: newId(),
          provisioning_ticket: ticket,
          provisioning_ticket_url: `${origin}/p/${ticket}`,
        }
      : { ...input, id: newId() };
    this.#connections.set(connection.name, connection);
    return connection;
  }

  /**
   * Replaces the whole connection but what the server owns: its id and its provisioning
   * ticket, which the identity provider's administrator holds.
   * @param {Connection} current
   * @param {ConnectionInput} input of the same name
   */
  replace(current, input) {
    const { id, provisioning_ticket, provisioning_ticket_url } = current;
    /** @type {Connection} */
    const connection = { ...input, id, provisioning_ticket, provisioning_ticket_url };
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

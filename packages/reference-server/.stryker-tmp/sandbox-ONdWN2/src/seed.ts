// @ts-nocheck
import { readFile } from "node:fs/promises";
import {
  exampleConnections,
  type Strategy,
  socialStrategies,
  strategies,
} from "@mgmtkit/spec/model";
import { connectionInput, newConnection } from "./connections.js";
import type { ConnectionRecord, UserRecord } from "./storage.js";
import { check, schemas } from "./validation.js";

/** A user of a seed: the user object of the API plus the name of its connection. */
export interface SeedUser extends Record<string, unknown> {
  /** The name of a connection of the same seed. */
  connection: string;
  /** `<strategy>|<id>`, the strategy being the connection's. */
  user_id: string;
}

/** What a seed file holds: connections as create bodies, and the users who signed in through them. */
export interface Seed {
  connections?: Array<Record<string, unknown>>;
  users?: SeedUser[];
}

/** Raised for a seed that cannot be loaded; the message names the entry and the reason. */
export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SeedError";
  }
}

const gravatar = (hash: string) => `https://secure.gravatar.example/avatar/${hash}.png`;

// The authentication server each seed user signed in through (the document: "the name of the
// authentication server", its example the URL of Fabrikam's ADFS server).
const ISSUERS: Record<string, string> = {
  adfs: "https://adfs.fabrikam.com/adfs/services/trust",
  "google-apps": "https://accounts.google.com",
  "google-oauth2": "https://accounts.google.com",
  office365: "https://sts.windows.net/4c1d6f0e-2b8a-4e55-9f3d-0a6b1c2d3e4f/",
  windowslive: "https://login.live.com",
};

/**
 * The built-in demo seed: one connection on each documented strategy, the spec's own example of it
 * (`fabrikam-adfs`, `fabrikam-google-apps`, `fabrikam-google`, `fabrikam-office365`, `fabrikam-live`),
 * and two users on each.
 */
export const demoSeed: Seed = {
  connections: strategies.map((strategy) => ({ ...exampleConnections[strategy] })),
  users: [
    ["fabrikam-adfs", "adfs", "john@fabrikam.com", "John", "Fabrikam", 13],
    ["fabrikam-adfs", "adfs", "mary@fabrikam.com", "Mary", "Fabrikam", 4],
    ["fabrikam-google-apps", "google-apps", "ana@fabrikam.com", "Ana", "Silva", 7],
    ["fabrikam-google-apps", "google-apps", "li@fabrikam.com", "Li", "Wei", 2],
    ["fabrikam-google", "google-oauth2", "108204268033311374519", "Sam", "Rivera", 21],
    ["fabrikam-google", "google-oauth2", "103598765432109876543", "Noor", "Haddad", 1],
    ["fabrikam-office365", "office365", "kim@fabrikam.onmicrosoft.com", "Kim", "Park", 9],
    ["fabrikam-office365", "office365", "olu@fabrikam.onmicrosoft.com", "Olu", "Adeyemi", 3],
    ["fabrikam-live", "windowslive", "5a8f3c2e1d4b6a79", "Eva", "Novak", 5],
    ["fabrikam-live", "windowslive", "0c7e9b1f2a3d4e58", "Raj", "Patel", 12],
  ].map(([connection, strategy, id, given, family, logins], index) => {
    const email = String(id).includes("@")
      ? String(id)
      : `${String(given).toLowerCase()}@example.com`;
    return {
      connection: String(connection),
      user_id: `${strategy}|${id}`,
      _id: `${(index + 1).toString(16).padStart(4, "0")}7eb1ae32568910b0f46e981aa99b5`,
      email,
      given_name: String(given),
      family_name: String(family),
      name: `${given} ${family}`,
      nickname: String(given).toLowerCase(),
      picture: gravatar(`${index}d1e3f`),
      issuer: ISSUERS[String(strategy)] ?? "",
      lastLogin: new Date(Date.UTC(2013, 0, 15, 1, 54, 30, 578) + index * 3_600_000).toISOString(),
      loginsCount: Number(logins),
      identities: [
        {
          provider: String(strategy),
          user_id: String(id),
          connection: String(connection),
          isSocial: socialStrategies.includes(strategy as Strategy),
        },
      ],
    };
  }),
};

/** Reads and parses a seed file; a missing, unreadable or non-JSON file is a `SeedError`. */
export async function readSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SeedError(
      `Cannot read the seed file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(text) as Seed;
  } catch (error) {
    throw new SeedError(`The seed file ${path} is not valid JSON.`, { cause: error });
  }
}

/** Checks a seed against the spec and turns it into records ready for the store. */
export function prepareSeed(
  seed: Seed,
  clientId: string,
): { connections: ConnectionRecord[]; users: UserRecord[] } {
  if (typeof seed !== "object" || seed === null || Array.isArray(seed)) {
    throw new SeedError("The seed must be an object with `connections` and `users` arrays.");
  }
  const { connections = [], users = [] } = seed;
  if (!Array.isArray(connections) || !Array.isArray(users)) {
    throw new SeedError("The seed's `connections` and `users` must be arrays.");
  }
  const byName = new Map<string, ConnectionRecord>();
  connections.forEach((body, index) => {
    const verdict = check(schemas.connectionCreate, body);
    if (!verdict.ok) {
      throw new SeedError(`Seed connection ${index} is invalid: ${verdict.problems.join("; ")}.`);
    }
    const input = connectionInput(verdict.value);
    if (byName.has(input.name)) {
      throw new SeedError(`Seed connection ${index} repeats the name "${input.name}".`);
    }
    byName.set(input.name, newConnection(input, clientId));
  });
  const userIds = new Set<string>();
  const records = users.map((entry, index): UserRecord => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new SeedError(`Seed user ${index} must be an object.`);
    }
    const { connection, ...fields } = entry;
    const verdict = check(schemas.user, fields);
    if (!verdict.ok) {
      throw new SeedError(`Seed user ${index} is invalid: ${verdict.problems.join("; ")}.`);
    }
    const user = verdict.value;
    const target = typeof connection === "string" ? byName.get(connection) : undefined;
    if (!target) {
      throw new SeedError(
        `Seed user ${index} names no connection of the seed (connection: ${JSON.stringify(connection)}).`,
      );
    }
    const strategy = user.user_id.slice(0, user.user_id.indexOf("|"));
    if (strategy !== target.strategy) {
      throw new SeedError(
        `Seed user ${index}'s user_id must start with "${target.strategy}|", the strategy of ${target.name}.`,
      );
    }
    if (userIds.has(user.user_id)) {
      throw new SeedError(`Seed user ${index} repeats the user_id "${user.user_id}".`);
    }
    userIds.add(user.user_id);
    return { connectionId: target.id, user };
  });
  return { connections: [...byName.values()], users: records };
}

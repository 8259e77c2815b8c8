import { operations } from "@mgmtkit/spec/model";
import { describe, expect, it } from "vitest";
import { familiesOf } from "./generation/families.js";
import { catalog, validatorCatalog } from "./runner.js";
import { statements } from "./statements.js";

/** The document's sections, in its order. */
const SECTIONS = [
  "API endpoint",
  "Connection Methods",
  "List all Connections",
  "ADFS Strategy",
  "Google Apps Strategy",
  "Google OAuth2 Strategy",
  "Office 365 Strategy",
  "Microsoft Account Strategy",
  "Get a specific Connection",
  "Delete a connection",
  "Create a new Connection",
  "Updating a Connection",
  "Users",
  "The User Object",
];

const checkIds = new Set(catalog.map((c) => c.id));
const validatorIds = new Set(validatorCatalog.map((v) => v.id));
const familyIds = new Set(
  operations.flatMap((op) =>
    (["core", "strict"] as const).flatMap((profile) => familiesOf(op, profile).map((f) => f.id)),
  ),
);

describe("the traced statements of the document", () => {
  it("each name a property that exists: a check, a response validator or a generated family", () => {
    const unknown = statements.flatMap((s) =>
      (s.judgedBy ?? [])
        .filter((id) => !checkIds.has(id) && !validatorIds.has(id) && !familyIds.has(id))
        .map((id) => `${id} (under "${s.says.slice(0, 40)}…")`),
    );
    expect(unknown).toEqual([]);
  });

  it("trace every check and every response validator of the catalog", () => {
    const traced = new Set(statements.flatMap((s) => s.judgedBy ?? []));
    expect([...checkIds, ...validatorIds].filter((id) => !traced.has(id))).toEqual([]);
  });

  it("are each judged by some property, or say why no request can observe them, not both", () => {
    for (const s of statements) {
      const judged = (s.judgedBy ?? []).length > 0;
      const reason = (s.unobservable ?? "").trim();
      expect(judged !== reason.length > 0, s.says).toBe(true);
      if (reason) expect(reason, s.says).toMatch(/^[A-Z].*\.$/);
      expect(new Set(s.judgedBy).size, s.says).toBe((s.judgedBy ?? []).length);
    }
  });

  it("quote each statement once, in the document's sections and order", () => {
    expect(new Set(statements.map((s) => s.says)).size).toBe(statements.length);
    const order = statements.map((s) => SECTIONS.indexOf(s.section));
    expect(order.filter((i) => i < 0)).toEqual([]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(statements.map((s) => s.section))).toEqual(new Set(SECTIONS));
  });
});

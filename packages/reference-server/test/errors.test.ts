// The catalog of error codes is the one place answers come from, and the README documents it whole.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorBody, errors } from "../src/errors.js";
import { validComponent } from "./helpers.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const documented = new Map(
  [...readme.matchAll(/^\| `(MGMT_ERR_[A-Z0-9_]+)` \| (\d{3}) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]),
);

describe("the error catalog", () => {
  it("is documented in the README, code by code, with each status", () => {
    const catalog = new Map(
      Object.entries(errors).map(([code, Make]) => [code, new Make("x", "y").statusCode]),
    );
    expect(documented).toEqual(catalog);
  });

  it.each(Object.entries(errors))("%s answers a body of the spec's Error schema", (code, Make) => {
    const error = new Make("a", "b");
    expect(error.code).toBe(code);
    const body = errorBody(error);
    expect(body).toMatchObject({ statusCode: error.statusCode, code, message: error.message });
    expect(body.message).not.toContain("%s");
    expect(validComponent("Error", body)).toBe(true);
  });
});

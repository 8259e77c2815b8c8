import { describe, expect, it } from "vitest";
import { spec } from "../src/index.js";
import {
  createSpecValidator,
  type MediaTypeModel,
  operations,
  pointerSegment,
} from "../src/model.js";

// biome-ignore lint/suspicious/noExplicitAny: reads the examples of components, which the model does not carry.
type Json = Record<string, any>;

interface ExampleCase {
  where: string;
  schemaRef: string;
  value: unknown;
}

/** Every example in the document, with the ref of the schema it must satisfy. */
function collectExamples(): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const fromMedia = (media: MediaTypeModel | undefined, where: string) => {
    for (const example of media?.examples ?? []) {
      cases.push({
        where: `${where} ${media?.mediaType} example "${example.name}"`,
        schemaRef: media?.schemaRef as string,
        value: example.value,
      });
    }
  };
  for (const op of operations) {
    const where = `${op.method} ${op.path}`;
    for (const media of op.requestBody?.content ?? []) fromMedia(media, `${where} request`);
    for (const [key, response] of op.responses) fromMedia(response.json, `${where} ${key}`);
  }
  const components = spec.components as Json;
  const fromHolder = (holder: Json, pointer: string, where: string) => {
    if (holder.schema && "example" in holder) {
      cases.push({ where, schemaRef: `spec${pointer}/schema`, value: holder.example });
    }
  };
  for (const [name, parameter] of Object.entries<Json>(components.parameters ?? {})) {
    fromHolder(parameter, `#/components/parameters/${name}`, `parameter ${name}`);
  }
  for (const [name, header] of Object.entries<Json>(components.headers ?? {})) {
    fromHolder(header, `#/components/headers/${name}`, `header ${name}`);
  }
  const fromSchema = (schema: Json, pointer: string) => {
    if (!schema || typeof schema !== "object") return;
    for (const [index, value] of (Array.isArray(schema.examples)
      ? schema.examples
      : []
    ).entries()) {
      cases.push({ where: `${pointer} examples[${index}]`, schemaRef: `spec${pointer}`, value });
    }
    for (const [key, sub] of Object.entries<Json>(schema.properties ?? {})) {
      fromSchema(sub, `${pointer}/properties/${pointerSegment(key)}`);
    }
  };
  for (const name of Object.keys(components.schemas)) {
    fromSchema(components.schemas[name], `#/components/schemas/${name}`);
  }
  return cases;
}

// The examples show what this description's own servers answer, so they satisfy its strict reading too.
const validators = [createSpecValidator(), createSpecValidator({ profile: "strict" })];
const cases = collectExamples();

describe("every example in the spec validates against its own schema", () => {
  it("finds the examples of every operation", () => {
    const withExamples = new Set(cases.map((c) => c.where.split(" ").slice(0, 2).join(" ")));
    for (const op of operations) expect(withExamples).toContain(`${op.method} ${op.path}`);
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [c.where, c] as const))("%s", (_where, { schemaRef, value }) => {
    for (const validator of validators) {
      expect(validator.problems(schemaRef, value), validator.profile).toEqual([]);
    }
  });
});

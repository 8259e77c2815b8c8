import { describe, expect, it } from "vitest";
import { spec } from "../dist/index.js";
import { pointerSegment, specValidator } from "./validator.js";

// biome-ignore lint/suspicious/noExplicitAny: walks an arbitrary OpenAPI document.
type Json = Record<string, any>;

interface ExampleCase {
  where: string;
  schemaPointer: string;
  value: unknown;
}

function resolve(node: Json): Json {
  if (typeof node?.$ref !== "string") return node;
  const path = node.$ref.replace(/^#\//, "").split("/");
  return path.reduce(
    (at: Json, key: string) => at[key.replaceAll("~1", "/").replaceAll("~0", "~")],
    spec,
  );
}

/** Every example in the document, with the JSON pointer of the schema it must satisfy. */
function collectExamples(): ExampleCase[] {
  const cases: ExampleCase[] = [];
  const fromHolder = (holder: Json, pointer: string, where: string) => {
    if (!holder.schema) return;
    const schemaPointer = `${pointer}/schema`;
    if ("example" in holder) cases.push({ where, schemaPointer, value: holder.example });
    for (const [name, example] of Object.entries<Json>(holder.examples ?? {})) {
      cases.push({
        where: `${where} example "${name}"`,
        schemaPointer,
        value: resolve(example).value,
      });
    }
  };
  const fromContent = (content: Json | undefined, pointer: string, where: string) => {
    for (const [mediaType, media] of Object.entries<Json>(content ?? {})) {
      fromHolder(media, `${pointer}/content/${pointerSegment(mediaType)}`, `${where} ${mediaType}`);
    }
  };
  for (const [path, item] of Object.entries(spec.paths)) {
    const pathPointer = `#/paths/${pointerSegment(path)}`;
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (method === "parameters") continue;
      const opPointer = `${pathPointer}/${method}`;
      const where = `${method.toUpperCase()} ${path}`;
      if (operation.requestBody) {
        fromContent(operation.requestBody.content, `${opPointer}/requestBody`, `${where} request`);
      }
      for (const [status, response] of Object.entries<Json>(operation.responses ?? {})) {
        const responsePointer =
          typeof response.$ref === "string" ? response.$ref : `${opPointer}/responses/${status}`;
        fromContent(resolve(response).content, responsePointer, `${where} ${status}`);
      }
    }
  }
  const components = spec.components as Json;
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
      cases.push({ where: `${pointer} examples[${index}]`, schemaPointer: pointer, value });
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

const ajv = specValidator();
const cases = collectExamples();

describe("every example in the spec validates against its own schema", () => {
  it("finds the examples of every operation", () => {
    const operations = new Set(cases.map((c) => c.where.split(" ").slice(0, 2).join(" ")));
    for (const op of [
      "POST /oauth/token",
      "GET /api/connections",
      "POST /api/connections",
      "GET /api/connections/{connectionName}",
      "PUT /api/connections/{connectionName}",
      "DELETE /api/connections/{connectionName}",
      "GET /api/users",
      "GET /api/connections/{connectionName}/users",
      "GET /api/socialconnections/users",
    ]) {
      expect(operations).toContain(op);
    }
    expect(cases.length).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [c.where, c] as const))("%s", (_where, { schemaPointer, value }) => {
    const validate = ajv.getSchema(`spec${schemaPointer}`);
    expect(validate, `no schema at ${schemaPointer}`).toBeTypeOf("function");
    const valid = validate?.(value);
    expect(validate?.errors ?? [], JSON.stringify(value)).toEqual([]);
    expect(valid).toBe(true);
  });
});

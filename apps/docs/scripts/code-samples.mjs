// Adds the handwritten samples under samples/ to every operation as `x-codeSamples`, so the spec
// itself stays free of presentation and the samples stay files that tsc and the tests can check.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { operations } from "@mgmtkit/spec/model";

/**
 * A request body as the TypeScript samples write it: an object literal whose nested lines are
 * indented from `indent`, unquoted keys where they are identifiers, trailing commas.
 * @param {unknown} value @param {string} [indent]
 * @returns {string}
 */
export function tsLiteral(value, indent = "") {
  if (Array.isArray(value)) return `[${value.map((item) => tsLiteral(item, indent)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(
      ([key, item]) =>
        `${inner}${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${tsLiteral(item, inner)},`,
    );
    return entries.length === 0 ? "{}" : `{\n${entries.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The kinds of sample every operation has, in the order the page shows them; `body` writes a JSON
 * request body as the sample sends it (curl: `--data '…'` under two spaces of continuation).
 * @type {Array<{ suffix: string, lang: string, label: string, body: (value: unknown) => string }>}
 */
export const sampleKinds = [
  {
    suffix: ".curl.sh",
    lang: "curl",
    label: "curl",
    body: (value) => `'${JSON.stringify(value, null, 2).replaceAll("\n", "\n  ")}'`,
  },
  {
    suffix: ".ts",
    lang: "TypeScript",
    label: "TypeScript (@mgmtkit/sdk)",
    body: (value) => tsLiteral(value),
  },
];

/**
 * The request examples of an operation whose first media type is JSON, in the spec's order, as
 * the page lists them (by summary, else by name).
 * @param {any} spec the document, whose components resolve the examples' $refs
 * @param {any} operation
 * @returns {Array<{ key: string, summary: string, value: unknown }>}
 */
export function requestExamples(spec, operation) {
  // The page opens on the first media type; only JSON bodies are written as examples here.
  const [mediaType, content] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
  const examples = mediaType === "application/json" ? (content?.examples ?? {}) : {};
  return Object.entries(examples).map(([key, example]) => {
    const ref = /^#\/components\/examples\/(.+)$/.exec(example.$ref ?? "")?.[1];
    const resolved = ref ? spec.components?.examples?.[ref] : example;
    return { key, summary: resolved?.summary ?? key, value: resolved?.value };
  });
}

/**
 * One sample per request example, so the samples follow the example the reader picks: each of an
 * operation's samples with its first example's body (and name) replaced by another example's.
 * Keyed as the page shows them: "POST /api/connections" → example summary → sample label → source.
 * @param {{ paths: Record<string, Record<string, any>> }} spec a copy made by withCodeSamples
 * @returns {Record<string, Record<string, Record<string, string>>>}
 */
export function exampleSamples(spec) {
  /** @type {Record<string, Record<string, Record<string, string>>>} */
  const out = {};
  for (const { path, method, operation } of operationsOf(spec)) {
    const examples = requestExamples(spec, operation);
    const [first] = examples;
    if (!first || examples.length < 2) continue;
    /** @type {Record<string, Record<string, string>>} */
    const byExample = {};
    out[`${method.toUpperCase()} ${path}`] = byExample;
    for (const example of examples) {
      /** @type {Record<string, string>} */
      const samples = {};
      byExample[example.summary] = samples;
      for (const sample of operation["x-codeSamples"] ?? []) {
        const kind = sampleKinds.find((k) => k.lang === sample.lang);
        if (!kind) continue;
        let source = sample.source.replaceAll(kind.body(first.value), kind.body(example.value));
        const [from, to] = [nameOf(first.value), nameOf(example.value)];
        if (from && to) source = source.replaceAll(from, to);
        samples[sample.label] = source;
      }
    }
  }
  return out;
}

/** @param {unknown} value */
function nameOf(value) {
  const name = value !== null && typeof value === "object" && "name" in value ? value.name : "";
  return typeof name === "string" ? name : "";
}

/** @param {string} operationId */
export function sampleBaseName(operationId) {
  return operationId.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * Every operation of the spec, in document order, as found in `spec` (the published document or a
 * copy of it): which operations exist is read from `@mgmtkit/spec/model`.
 * @param {{ paths: Record<string, Record<string, any>> }} spec
 * @returns {Array<{ path: string, method: string, operation: any }>}
 */
export function operationsOf(spec) {
  return operations
    .map(({ path, method }) => ({
      path,
      method: method.toLowerCase(),
      operation: spec.paths[path]?.[method.toLowerCase()],
    }))
    .filter(({ operation }) => operation !== undefined);
}

/**
 * A copy of `spec` whose operations carry their samples as `x-codeSamples`. Throws when an operation
 * lacks a sample, or when a sample file matches no operation (a renamed operation would otherwise
 * leave its samples behind unseen).
 * @template {{ paths: Record<string, Record<string, any>> }} T
 * @param {T} spec
 * @param {string} samplesDir
 * @returns {T}
 */
export function withCodeSamples(spec, samplesDir) {
  const copy = structuredClone(spec);
  const problems = [];
  const expected = new Set();
  for (const { path, method, operation } of operationsOf(copy)) {
    if (!operation.operationId) {
      problems.push(`${method.toUpperCase()} ${path} has no operationId to name its samples by`);
      continue;
    }
    const base = sampleBaseName(operation.operationId);
    const samples = [];
    for (const kind of sampleKinds) {
      const file = `${base}${kind.suffix}`;
      expected.add(file);
      const full = join(samplesDir, file);
      if (!existsSync(full)) {
        problems.push(`samples/${file} is missing (${operation.operationId})`);
        continue;
      }
      const source = readFileSync(full, "utf8").trimEnd();
      if (source === "") problems.push(`samples/${file} is empty`);
      // The page shows the first example at first; a sample that sends another would contradict it.
      const [first] = requestExamples(copy, operation);
      if (first && !source.includes(kind.body(first.value))) {
        problems.push(
          `samples/${file} does not send the first request example of ${operation.operationId} ("${first.summary}") as written by ${kind.lang === "curl" ? "JSON.stringify" : "tsLiteral"}`,
        );
      }
      samples.push({ lang: kind.lang, label: kind.label, source });
    }
    operation["x-codeSamples"] = samples;
  }
  const stale = readdirSync(samplesDir).filter(
    (file) => sampleKinds.some((kind) => file.endsWith(kind.suffix)) && !expected.has(file),
  );
  for (const file of stale) problems.push(`samples/${file} belongs to no operation of the spec`);
  if (problems.length > 0) {
    throw new Error(`The code samples do not match the spec: ${problems.join("; ")}.`);
  }
  return copy;
}

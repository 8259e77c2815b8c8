// Adds the handwritten samples under samples/ to every operation as `x-codeSamples`, so the spec
// itself stays free of presentation and the samples stay files that tsc and the tests can check.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { operations } from "@mgmtkit/spec/model";

/** The kinds of sample every operation has, in the order the page shows them. */
export const sampleKinds = [
  { suffix: ".curl.sh", lang: "curl", label: "curl" },
  { suffix: ".ts", lang: "TypeScript", label: "TypeScript (@mgmtkit/sdk)" },
];

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

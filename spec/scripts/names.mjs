// The names the spec defines, as TypeScript literal unions: what `src/generated/names.ts` holds.
// Used by `generate.mjs`, which writes the file and, with `--check`, fails when it drifted.

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** The text of `src/generated/names.ts` for a bundled spec document. */
export function namesModule(spec) {
  const operationIds = Object.values(spec.paths).flatMap((item) =>
    METHODS.filter((method) => item[method]).map((method) => item[method].operationId),
  );
  const strategies = spec.components.schemas.Strategy.oneOf.map((choice) => choice.const);
  const union = (values) => values.map((v) => JSON.stringify(v)).join(" | ");
  return `// This file is generated. Do not edit it by hand.
// Source: spec/openapi.yaml (bundled). Command: pnpm --filter @mgmtkit/spec generate.
// The tests fail when it differs from a fresh generation; regenerate after every spec change.

/** The \`operationId\` of every operation the spec documents. */
export type OperationId = ${union(operationIds)};

/** The documented strategies (\`components.schemas.Strategy\`). */
export type Strategy = ${union(strategies)};
`;
}

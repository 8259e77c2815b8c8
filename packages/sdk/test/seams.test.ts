// The modules of src/ import one another in one direction: no cycle, type imports included, and
// the transport and the token sources meet only in the types of http.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const src = join(import.meta.dirname, "../src");

/** Each module of src/ (top level) and the modules of src/ it imports. */
function graph(): Map<string, string[]> {
  const modules = readdirSync(src).filter((f) => f.endsWith(".ts"));
  return new Map(
    modules.map((file) => {
      const text = readFileSync(join(src, file), "utf8");
      const imports = [...text.matchAll(/from "\.\/([\w-]+)\.js"/g)].map((m) => `${m[1]}.ts`);
      return [file, imports.filter((i) => modules.includes(i))];
    }),
  );
}

/** A cycle through the graph as a list of modules, or undefined. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe("module seams", () => {
  it("have no import cycle", () => {
    expect(findCycle(graph())).toBeUndefined();
  });

  it("find a cycle when there is one", () => {
    const edges = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(findCycle(edges)).toEqual(["a.ts", "b.ts", "c.ts", "a.ts"]);
  });

  it("keep the transport and the token sources apart, meeting in http.ts", () => {
    const edges = graph();
    expect(edges.get("transport.ts")).not.toContain("token-provider.ts");
    expect(edges.get("token-provider.ts")).not.toContain("transport.ts");
    expect(edges.get("transport.ts")).toContain("http.ts");
    expect(edges.get("token-provider.ts")).toContain("http.ts");
    expect(edges.get("http.ts")).toEqual(["options.ts"]);
  });
});

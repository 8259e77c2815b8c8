import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/**
 * Measures the shape of a package's source from the code itself, with the TypeScript compiler's
 * parser: the runtime import graph and its cycles, the length of files and of functions, and the
 * places that compare a check id with a string.
 */

const SOURCE = /\.(?:[cm]?ts|tsx)$/;
const TEST = /\.test\.(?:[cm]?ts|tsx)$/;

/** The non-test TypeScript files under `dir`, absolute, sorted. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (SOURCE.test(entry.name) && !TEST.test(entry.name) && !entry.name.endsWith(".d.ts"))
      files.push(path);
  }
  return files.sort();
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
}

/**
 * Whether a declaration is erased at run time. `import type` and `export type` are; so is an
 * import whose every named binding is marked `type` and that has no default or namespace
 * binding (the project's lint rule writes such imports as `import type`). A side-effect import,
 * or any value binding, is a runtime edge.
 */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return !!clause && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return (
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The source file a relative specifier names (`./a.js` → `a.ts`, `./dir` → `dir/index.ts`). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base.replace(/\.([cm]?)js$/, ".$1ts"),
    base,
    `${base}.ts`,
    join(base, "index.ts"),
  ];
  return candidates.find((c) => SOURCE.test(c) && existsSync(c));
}

/**
 * The files of `files` each one imports at run time (static, re-export or dynamic import); with
 * `types`, type-only imports too.
 */
export function runtimeImports(
  files: readonly string[],
  { types = false } = {},
): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    const add = (specifier: string) => {
      if (!specifier.startsWith(".")) return;
      const target = resolveRelative(file, specifier);
      if (target && known.has(target)) targets.add(target);
    };
    const visit = (node: ts.Node) => {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        (types || !typeOnly(node))
      ) {
        add(node.moduleSpecifier.text);
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0] &&
        ts.isStringLiteral(node.arguments[0])
      ) {
        add(node.arguments[0].text);
      }
      ts.forEachChild(node, visit);
    };
    visit(parse(file));
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The import cycles of a graph: each strongly connected set of two or more files, or a file importing itself. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm; recursion is deep enough for a package's few hundred files.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indices.get(next) ?? 0));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node))
        found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) connect(node);
  return found;
}

export interface Measure {
  /** `file` for a whole file, else `file:line name`. */
  where: string;
  lines: number;
}

const shown = (root: string, file: string) => relative(root, file).split(sep).join("/");

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    ts.isIdentifier(parent.name)
  )
    return parent.name.text;
  return "(anonymous)";
}

/**
 * Every function of the files (declarations, methods, accessors, constructors, arrows and
 * function expressions) with its length in lines, from its first token to its closing brace.
 * A nested function counts in its own length and in the one around it.
 */
export function functionLengths(files: readonly string[], root: string): Measure[] {
  const out: Measure[] = [];
  for (const file of files) {
    const source = parse(file);
    const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && (node as { body?: ts.Node }).body) {
        const start = line(node.getStart(source));
        out.push({
          where: `${shown(root, file)}:${start + 1} ${nameOf(node)}`,
          lines: line(node.getEnd()) - start + 1,
        });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out.sort((a, b) => b.lines - a.lines);
}

/** Every file with its length in lines. */
export function fileLengths(files: readonly string[], root: string): Measure[] {
  return files
    .map((file) => ({
      where: shown(root, file),
      lines: readFileSync(file, "utf8").replace(/\n$/, "").split("\n").length,
    }))
    .sort((a, b) => b.lines - a.lines);
}

/**
 * Places that decide by a check id's text: a `checkId` (property or variable) compared
 * (`===`, `!==`, `==`, `!=`) with a string or template literal, or tested with
 * `startsWith`/`endsWith`/`includes`, or made into another id by a
 * template (`${checkId}~probe`).
 */
export function checkIdComparisons(files: readonly string[], root: string): string[] {
  const out: string[] = [];
  const isCheckId = (node: ts.Node): boolean =>
    (ts.isPropertyAccessExpression(node) && node.name.text === "checkId") ||
    (ts.isIdentifier(node) && node.text === "checkId");
  const equality = new Set([
    ts.SyntaxKind.EqualsEqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsEqualsToken,
    ts.SyntaxKind.EqualsEqualsToken,
    ts.SyntaxKind.ExclamationEqualsToken,
  ]);
  for (const file of files) {
    const source = parse(file);
    const at = (node: ts.Node) =>
      `${shown(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1} ${node.getText(source)}`;
    const visit = (node: ts.Node) => {
      if (ts.isBinaryExpression(node) && equality.has(node.operatorToken.kind)) {
        const sides = [node.left, node.right];
        if (
          sides.some(isCheckId) &&
          sides.some((s) => ts.isStringLiteralLike(s) || ts.isTemplateExpression(s))
        )
          out.push(at(node));
      } else if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ["startsWith", "endsWith", "includes"].includes(node.expression.name.text) &&
        isCheckId(node.expression.expression)
      ) {
        out.push(at(node));
      } else if (
        ts.isTemplateExpression(node) &&
        node.templateSpans.some((span) => isCheckId(span.expression)) &&
        // A key joining parts with a separator (`${checkId}\n${type}`) is not a new id.
        ![node.head, ...node.templateSpans.map((span) => span.literal)].some((part) =>
          /\s/.test(part.text),
        )
      ) {
        out.push(at(node));
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');

type Imports = { static: string[]; dynamic: string[] };

/** The module specifiers a file imports for its values: `import type` and type-only exports are erased. */
function importsOf(file: string): Imports {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: Imports = { static: [], dynamic: [] };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      const named = node.importClause?.namedBindings;
      const onlyTypes =
        named &&
        ts.isNamedImports(named) &&
        !node.importClause?.name &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      if (!onlyTypes) found.static.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      found.static.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.dynamic.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/**
 * Every project file and package a process starting at `entry` loads before any dynamic import,
 * except the dynamic imports in `follow`, which it always makes (main.ts loads runtime.ts once the
 * configuration is valid).
 */
function staticGraph(entry: string, follow: string[] = []) {
  const files = new Set<string>();
  const packages = new Set<string>();
  const dynamic: { from: string; to: string }[] = [];
  const queue = [resolve(REPO, entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const imports = importsOf(file);
    for (const spec of imports.static) {
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
    for (const spec of imports.dynamic) {
      if (spec.startsWith('.')) {
        const to = relative(REPO, resolve(dirname(file), spec));
        dynamic.push({ from: relative(REPO, file), to });
        if (follow.includes(to)) queue.push(resolve(REPO, to));
      }
    }
  }
  return { files: [...files].map((f) => relative(REPO, f)), packages: [...packages], dynamic };
}

/** Dynamic imports every start makes: main.ts loads the server once its configuration is valid. */
const ALWAYS_LOADED = ['server/runtime.ts'];

describe('the embedded stack stays out of product code', () => {
  it.each(['server/main.ts', 'server/cli/main.ts'])(
    '%s loads no stand-in and no oidc-provider before configuration asks for one',
    (entry) => {
      const graph = staticGraph(entry, ALWAYS_LOADED);
      expect(graph.files.length).toBeGreaterThan(20);
      expect(graph.files.filter((f) => f.startsWith('server/dev/'))).toEqual([]);
      expect(graph.packages).not.toContain('oidc-provider');
    },
  );

  it('reaches server/dev/ through one dynamic import, in server/runtime.ts', () => {
    const { dynamic } = staticGraph('server/main.ts', ALWAYS_LOADED);
    expect(dynamic.filter((d) => d.to.startsWith('server/dev/'))).toEqual([
      { from: 'server/runtime.ts', to: 'server/dev/embedded.ts' },
    ]);
  });
});

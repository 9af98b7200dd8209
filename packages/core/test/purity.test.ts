import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The core must stay pure: no I/O, no clock, no randomness, no module state. This test reads every source file's
 * syntax tree and fails, naming file and line, when someone adds one.
 */
const SRC = new URL('../src/', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const FORBIDDEN_GLOBALS = new Set(['process', 'globalThis', 'window', 'console', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'require', 'crypto', 'performance']);
const ALLOWED_IMPORTS = new Set(['zod', 'rrule', 'date-fns-tz', 'date-fns']);

/** Finds impurities in one file's source text; exported shape is `file:line: what`. */
export function impurities(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${fileName}:${line + 1}: ${what}`);
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && !(statement.declarationList.flags & ts.NodeFlags.Const)) report(statement, 'module-level let/var (module state)');
    if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (decl.initializer && ts.isNewExpression(decl.initializer)) report(decl, 'module-level object construction (module state)');
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const spec = statement.moduleSpecifier.text;
      if (!spec.startsWith('.') && !ALLOWED_IMPORTS.has(spec)) report(statement, `import of '${spec}' (only ${[...ALLOWED_IMPORTS].join(', ')} are allowed)`);
    }
  }
  // Names the file declares itself (parameters, variables, functions) shadow globals of the same name.
  const declared = new Set<string>();
  const collect = (node: ts.Node): void => {
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isFunctionDeclaration(node) || ts.isBindingElement(node)) && node.name && ts.isIdentifier(node.name)) declared.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  collect(source);
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const text = `${node.expression.text}.${node.name.text}`;
      if (text === 'Date.now' || text === 'Math.random' || text === 'performance.now') report(node, `${text} (time and randomness are parameters)`);
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) {
      report(node, 'new Date() without arguments reads the clock');
    }
    if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.has(node.text) && !declared.has(node.text)) {
      const parent = node.parent;
      const isPropertyName = parent && ((ts.isPropertyAccessExpression(parent) && parent.name === node) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent));
      if (!isPropertyName) report(node, `global '${node.text}' (I/O or environment)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('core purity', () => {
  it('has no I/O, clock, randomness or module state in packages/core/src', () => {
    const problems = sourceFiles(SRC).flatMap((file) => impurities(relative(SRC, file), readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('catches each kind of impurity (the checker itself works)', () => {
    const bad = [
      "import { readFileSync } from 'node:fs';",
      'let counter = 0;',
      'const cache = new Map();',
      'export const a = () => Date.now();',
      'export const b = () => Math.random();',
      'export const c = () => new Date();',
      'export const d = () => process.env.TZ;',
      "export const e = () => console.log('x');",
    ].join('\n');
    expect(impurities('bad.ts', bad).length).toBe(8);
    expect(impurities('good.ts', "export const f = (ms: number) => new Date(ms).toISOString();\nconst LIMIT = 5;\nexport const g = (window: number) => window * 2;")).toEqual([]);
  });
});

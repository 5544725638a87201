// Size check: no function or method (arrow functions, factory closures, store creators and
// components included) over 150 lines and no class over 400 lines in non-test source, counted
// from the TypeScript syntax tree, first to last line of the node. There is no allow-list: a piece
// that outgrows its limit is split along its seams.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FUNCTION_LIMIT = 150;
const CLASS_LIMIT = 400;

function isTestSupport(relative: string): boolean {
  return (
    /\.test\.tsx?$/.test(relative) ||
    /\.fixture\.ts$/.test(relative) ||
    /(^|\/)testing\//.test(relative) ||
    /(^|\/)fake-[^/]*\.ts$/.test(relative) ||
    /(^|\/)test-support\.ts$/.test(relative) ||
    relative.endsWith('.d.ts')
  );
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) found.push(...sourceFiles(relative));
    else if (/\.tsx?$/.test(entry.name) && !isTestSupport(relative)) found.push(relative);
  }
  return found;
}

/** A readable name for a function or class node: its own, or what it is assigned to. */
function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (named.name && ts.isPropertyName(named.name)) return named.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (ts.isPropertyAssignment(parent)) return parent.name.getText();
  if (ts.isCallExpression(parent)) {
    const owner = parent.parent;
    const callee = parent.expression.getText();
    if (ts.isVariableDeclaration(owner) && ts.isIdentifier(owner.name)) {
      return `${owner.name.text}(${callee})`;
    }
    return `(${callee} callback)`;
  }
  return '(anonymous)';
}

interface Piece {
  readonly key: string;
  readonly lines: number;
  readonly limit: number;
}

function measure(file: string, text = readFileSync(path.join(root, file), 'utf8')): Piece[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const pieces: Piece[] = [];
  const lineOf = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node, scope: string[]): void => {
    let inner = scope;
    const isClass = ts.isClassDeclaration(node) || ts.isClassExpression(node);
    const isFunction =
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node);
    if (isClass || isFunction) {
      const name = ts.isConstructorDeclaration(node) ? 'constructor' : nameOf(node);
      inner = [...scope, name];
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1;
      pieces.push({
        key: `${file}:${inner.join('.')}`,
        lines,
        limit: isClass ? CLASS_LIMIT : FUNCTION_LIMIT,
      });
    }
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, []);
  return pieces;
}

function overLimit(pieces: readonly Piece[]): string[] {
  return pieces
    .filter((piece) => piece.lines > piece.limit)
    .map((piece) => `${piece.key} (${piece.lines} lines, limit ${piece.limit})`);
}

describe('function and class sizes', () => {
  const pieces = ['electron', 'shared', 'renderer'].flatMap((dir) =>
    sourceFiles(dir).flatMap((file) => measure(file)),
  );

  it('finds the code it measures', () => {
    expect(pieces.length).toBeGreaterThan(500);
  });

  it(`keeps functions within ${FUNCTION_LIMIT} lines and classes within ${CLASS_LIMIT}`, () => {
    expect(overLimit(pieces)).toEqual([]);
  });

  it('reports planted functions over the limit, by their names and nesting', () => {
    const body = Array.from({ length: FUNCTION_LIMIT - 1 }, (_, i) => `  const v${i} = ${i};`);
    const planted = [
      'export class Host {',
      '  run(): void {',
      '    const inner = () => {',
      ...body,
      '    };',
      '  }',
      '}',
    ].join('\n');
    expect(overLimit(measure('planted.ts', planted))).toEqual([
      `planted.ts:Host.run (${FUNCTION_LIMIT + 3} lines, limit ${FUNCTION_LIMIT})`,
      `planted.ts:Host.run.inner (${FUNCTION_LIMIT + 1} lines, limit ${FUNCTION_LIMIT})`,
    ]);
  });
});

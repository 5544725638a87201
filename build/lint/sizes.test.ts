// Size check: no function or method (arrow functions, factory closures, store creators and
// components included) over 150 lines and no class over 400 lines in non-test source, counted
// from the TypeScript syntax tree, first to last line of the node. The pieces that are over today
// are listed with their current size: the list may only shrink (a listed piece that grows, or
// one that is now within the limit and still listed, fails too), and it is to end empty.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FUNCTION_LIMIT = 150;
const CLASS_LIMIT = 400;

/** Over the limit today, with their size in lines; split them along their seams. */
const KNOWN_GIANTS: Readonly<Record<string, number>> = {
  'electron/core/app.ts:composeApp': 188,
  'electron/core/aws/credentials.ts:createCredentialResolver': 645,
  'electron/core/aws/credentials.ts:createCredentialResolver.assumeRole': 214,
  'electron/core/aws/profiles.ts:loadProfiles': 169,
  'electron/core/aws/profiles.ts:describeProfile': 173,
  'electron/core/aws/sso.ts:createSsoAuth': 371,
  'electron/core/forwarding/forward.ts:Forward': 640,
  'electron/core/services/inventory-service.ts:createInventoryService': 161,
  'electron/core/services/session-history-service.ts:createSessionHistoryService': 176,
  'electron/core/services/session-service.ts:createSessionService': 355,
  'electron/core/services/sources-service.ts:createSourcesService': 621,
  'electron/emulator/agent/agent-session.ts:AgentSession': 493,
  'electron/emulator/api/handler.ts:createApiHandler': 244,
  'electron/emulator/api/handler.ts:createApiHandler.handle': 171,
  'electron/emulator/api/sso.ts:createIdentityCenterHandler': 260,
  'electron/emulator/sandbox.ts:startSandbox': 184,
  'renderer/app/App.tsx:App': 166,
  'renderer/app/services.ts:createServices': 197,
  'renderer/features/forwards/ForwardDialog.tsx:ForwardDialog': 228,
  'renderer/features/forwards/ForwardsView.tsx:forwardColumns': 171,
  'renderer/features/forwards/store.ts:createForwardsStore': 241,
  'renderer/features/forwards/store.ts:createForwardsStore.(createStore<ForwardsState>() callback)': 237,
  'renderer/features/settings/SettingsView.tsx:SettingsView': 161,
  'renderer/features/sources/RegionsDialog.tsx:RegionsDialog': 156,
  'renderer/features/sources/store.ts:createSourcesStore': 173,
  'renderer/features/sources/store.ts:createSourcesStore.(createStore<SourcesStoreState>() callback)': 168,
  'renderer/features/terminals/store.ts:createTabsStore': 273,
  'renderer/features/terminals/store.ts:createTabsStore.(createStore<TabsState>() callback)': 268,
  'renderer/ui/Table.tsx:Table': 227,
};

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

function measure(file: string): Piece[] {
  const text = readFileSync(path.join(root, file), 'utf8');
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

describe('function and class sizes', () => {
  const pieces = ['electron', 'shared', 'renderer'].flatMap(sourceFiles).flatMap(measure);
  const byKey = new Map<string, number>();
  for (const piece of pieces) {
    if (piece.lines > piece.limit)
      byKey.set(piece.key, Math.max(byKey.get(piece.key) ?? 0, piece.lines));
  }

  it('finds the code it measures', () => {
    expect(pieces.length).toBeGreaterThan(500);
  });

  it(`keeps functions within ${FUNCTION_LIMIT} lines and classes within ${CLASS_LIMIT}`, () => {
    const unlisted = [...byKey]
      .filter(([key]) => KNOWN_GIANTS[key] === undefined)
      .map(([key, lines]) => `${key} (${lines} lines)`);
    expect(unlisted).toEqual([]);
  });

  it('lets no listed giant grow, and drops the ones that are within the limit now', () => {
    const stale: string[] = [];
    for (const [key, recorded] of Object.entries(KNOWN_GIANTS)) {
      const now = byKey.get(key);
      if (now === undefined) stale.push(`${key}: within the limit now, remove it from the list`);
      else if (now > recorded) stale.push(`${key}: grew from ${recorded} to ${now} lines`);
    }
    expect(stale).toEqual([]);
  });
});

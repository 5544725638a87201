// ESLint rule `airlock/layers`: every import must follow the allowed directions between layers
// (shared, core and its sub-layers, emulator, cli, main, preload, renderer). The per-layer
// TypeScript projects catch the same mistakes at compile time; this rule names the allowed
// directions in its message, and also covers what TypeScript cannot see: Node built-ins in the
// renderer and shared code, `electron` outside main and preload, and the order inside core.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Core's internal order, lowest first: a core folder may import its own rank or a lower one.
 * Folders of one rank do not depend on each other's internals in practice, so they may meet.
 */
const CORE_RANKS = [
  ['base'],
  ['datachannel/codec', 'network', 'platform'],
  ['datachannel'],
  ['aws'],
  ['sessions'],
  ['forwarding', 'files'],
  ['profiles', 'tray'],
  ['services'],
  ['ipc'],
  ['web', 'app.ts'],
];
const CORE_ORDER =
  'base < codec < datachannel < aws < sessions < forwarding, files < profiles, tray < services < ipc < web, app';

/** Test code and its helpers may reach across layers (integration tests start the sandbox). */
function isTestSupport(relative) {
  return (
    /\.test\.tsx?$/.test(relative) ||
    /\.fixture\.ts$/.test(relative) ||
    /(^|\/)testing\//.test(relative) ||
    /(^|\/)fake-[^/]*\.ts$/.test(relative) ||
    /(^|\/)test-support\.ts$/.test(relative)
  );
}

/** The layer a repository-relative path belongs to, or undefined outside the layered code. */
export function layerOf(relative) {
  const p = relative.split(path.sep).join('/');
  if (p.startsWith('shared/domain/')) return { name: 'shared/domain' };
  if (p.startsWith('shared/')) return { name: 'shared/ipc' };
  if (p.startsWith('renderer/')) return { name: 'renderer' };
  if (p.startsWith('electron/preload/')) return { name: 'preload' };
  if (p.startsWith('electron/main/')) return { name: 'main' };
  if (p.startsWith('electron/cli/')) return { name: 'cli' };
  if (p.startsWith('electron/emulator/')) return { name: 'emulator' };
  if (p.startsWith('electron/core/')) {
    const inner = p.slice('electron/core/'.length);
    for (const [rank, folders] of CORE_RANKS.entries()) {
      for (const folder of folders) {
        if (inner === folder || inner.startsWith(`${folder}/`)) {
          return { name: `core/${folder}`, rank };
        }
      }
    }
    return { name: `core/${inner.split('/')[0]}`, rank: undefined };
  }
  return undefined;
}

/** Process entries that compose core with the emulator's starter (the sandbox is injected there). */
const COMPOSITION_ROOTS = new Set(['electron/main/main.ts', 'electron/core/web/entry.ts']);
const EMULATOR_STARTER = 'electron/emulator/starter.ts';
/** The `airlock sandbox` command is the CLI's only way into the emulator. */
const CLI_SANDBOX_COMMAND = 'electron/cli/sandbox.ts';

const ALLOWED = {
  'shared/domain': 'shared/domain imports nothing of the project',
  'shared/ipc': 'shared/ipc may import shared/domain only',
  renderer: 'renderer may import shared only (no Node, no electron)',
  preload: 'preload may import shared/ipc and electron only',
  main: 'electron/main may import shared and core (main.ts also the emulator starter)',
  cli: 'electron/cli may import shared and core, and the emulator from the sandbox command only',
  emulator:
    'electron/emulator may import shared, core/base and core/datachannel/codec only: the agent side has its own channel, smux and KMS code',
  'core/base': 'electron/core/base may import shared/domain only',
  core: `electron/core may import shared, core/base and lower core layers (${CORE_ORDER}); never main, preload, cli, emulator or renderer`,
};

function allowedText(layer) {
  if (layer.name === 'core/base') return ALLOWED['core/base'];
  if (layer.name.startsWith('core/')) return ALLOWED.core;
  return ALLOWED[layer.name];
}

/** Why an import of `target` (repository-relative) from `source` is not allowed, or undefined. */
export function projectImportProblem(source, target) {
  const from = layerOf(source);
  const to = layerOf(target);
  if (!from || !to || isTestSupport(source)) return undefined;
  const t = target.split(path.sep).join('/');
  const ok = (() => {
    switch (from.name) {
      case 'shared/domain':
        return to.name === 'shared/domain';
      case 'shared/ipc':
        return to.name === 'shared/domain' || to.name === 'shared/ipc';
      case 'renderer':
        return to.name === 'renderer' || to.name.startsWith('shared/');
      case 'preload':
        return to.name === 'preload' || to.name === 'shared/ipc';
      case 'main':
        return (
          to.name === 'main' ||
          to.name.startsWith('shared/') ||
          to.name.startsWith('core/') ||
          (COMPOSITION_ROOTS.has(source) && t === EMULATOR_STARTER)
        );
      case 'cli':
        return (
          to.name === 'cli' ||
          to.name.startsWith('shared/') ||
          to.name.startsWith('core/') ||
          (to.name === 'emulator' && source === CLI_SANDBOX_COMMAND)
        );
      case 'emulator':
        return (
          to.name === 'emulator' ||
          to.name.startsWith('shared/') ||
          to.name === 'core/base' ||
          to.name === 'core/datachannel/codec'
        );
      default: {
        // A core layer.
        if (COMPOSITION_ROOTS.has(source) && t === EMULATOR_STARTER) return true;
        if (from.name === 'core/base')
          return to.name === 'core/base' || to.name === 'shared/domain';
        if (to.name.startsWith('shared/')) return true;
        if (!to.name.startsWith('core/')) return false;
        if (from.rank === undefined || to.rank === undefined) return true;
        return to.rank <= from.rank;
      }
    }
  })();
  if (ok) return undefined;
  return `${from.name} must not import ${to.name} (${t}): ${allowedText(from)}.`;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Why importing package `specifier` from `source` is not allowed, or undefined. */
export function packageImportProblem(source, specifier) {
  const from = layerOf(source);
  if (!from) return undefined;
  const isNode = NODE_BUILTINS.has(specifier) || specifier.startsWith('node:');
  const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
  const test = isTestSupport(source);
  if (isElectron && from.name !== 'main' && from.name !== 'preload' && !test) {
    return `${from.name} must not import electron: only electron/main and electron/preload do; put the logic in electron/core behind a port.`;
  }
  if (isNode && (from.name.startsWith('shared/') || from.name === 'renderer') && !test) {
    return `${from.name} must not import the Node built-in '${specifier}': ${allowedText(from)}; go through window.airlock (renderer/lib/api.ts) or move the code to electron/core.`;
  }
  if (isNode && from.name === 'preload' && !test) {
    return `preload must not import the Node built-in '${specifier}': ${ALLOWED.preload}.`;
  }
  return undefined;
}

/** The file a relative specifier names: `./x` is `./x.ts`, `./x.tsx` or `./x/index.ts`. */
function resolveModule(importer, specifier) {
  const resolved = path.resolve(path.dirname(importer), specifier);
  if (path.extname(resolved) && existsSync(resolved)) return resolved;
  for (const candidate of [`${resolved}.ts`, `${resolved}.tsx`, path.join(resolved, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return `${resolved}.ts`;
}

function check(context, node, specifier) {
  if (typeof specifier !== 'string') return;
  const filename = context.filename;
  const source = path.relative(repoRoot, filename);
  if (source.startsWith('..')) return;
  let problem;
  if (specifier.startsWith('.')) {
    problem = projectImportProblem(
      source,
      path.relative(repoRoot, resolveModule(filename, specifier)),
    );
  } else {
    problem = packageImportProblem(source, specifier);
  }
  if (problem) context.report({ node, message: `Layering: ${problem}` });
}

const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the allowed directions between layers.' },
    schema: [],
  },
  create(context) {
    const fromSource = (node) => {
      if (node.source) check(context, node.source, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(context, node.source, node.source.value);
      },
      TSImportType(node) {
        const literal = node.argument?.literal ?? node.argument;
        if (literal?.type === 'Literal') check(context, literal, literal.value);
      },
      CallExpression(node) {
        const [first] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          first?.type === 'Literal'
        ) {
          check(context, first, first.value);
        }
      },
    };
  },
};

export default { rules: { layers: layersRule } };

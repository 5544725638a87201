// The layering rule, through the project's real ESLint configuration: one planted import per
// forbidden direction goes into a scratch file in that layer, and linting the file must fail with
// the layering message that names the allowed directions. Allowed imports must stay clean.
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const written: string[] = [];

afterEach(async () => {
  await Promise.all(written.splice(0).map((file) => rm(file, { force: true })));
});

/** The real config, without type information: the layering rule reads import paths only. */
const eslint = new ESLint({
  cwd: root,
  cache: false,
  ruleFilter: ({ ruleId }) => ruleId === 'airlock/layers',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

async function lintPlanted(folder: string, source: string): Promise<string[]> {
  const file = path.join(root, folder, `layering-probe-${process.pid}.ts`);
  written.push(file);
  await writeFile(file, `${source}\nexport {};\n`);
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`);
}

const forbidden: { name: string; folder: string; source: string; allowed: RegExp }[] = [
  {
    name: 'renderer → core',
    folder: 'renderer/app',
    source: "import '../../electron/core/app';",
    allowed: /renderer may import shared only/,
  },
  {
    name: 'shared → renderer',
    folder: 'shared/domain',
    source: "import '../../renderer/app/store';",
    allowed: /shared\/domain imports nothing of the project/,
  },
  {
    name: 'shared/ipc → renderer',
    folder: 'shared/ipc',
    source: "import '../../renderer/lib/api';",
    allowed: /shared\/ipc may import shared\/domain only/,
  },
  {
    name: 'core → main',
    folder: 'electron/core/services',
    source: "import '../../main/window';",
    allowed: /electron\/core may import shared, core\/base and lower core layers/,
  },
  {
    name: 'core → cli',
    folder: 'electron/core/sessions',
    source: "import '../../cli/plugin';",
    allowed: /never main, preload, cli, emulator or renderer/,
  },
  {
    name: 'core → emulator',
    folder: 'electron/core/aws',
    source: "import '../../emulator/sandbox';",
    allowed: /never main, preload, cli, emulator or renderer/,
  },
  {
    name: 'core → a higher core layer (sessions → services)',
    folder: 'electron/core/sessions',
    source: "import '../services/session-service';",
    allowed: /codec < datachannel < aws < sessions/,
  },
  {
    name: 'emulator agent → client channel',
    folder: 'electron/emulator/agent',
    source: "import '../../core/datachannel/channel';",
    allowed: /the agent side has its own channel, smux and KMS code/,
  },
  {
    name: 'emulator agent → client smux',
    folder: 'electron/emulator/agent',
    source: "import '../../core/sessions/smux';",
    allowed: /the agent side has its own channel, smux and KMS code/,
  },
  {
    name: 'renderer → node:fs',
    folder: 'renderer/features',
    source: "import { readFileSync } from 'node:fs';\nvoid readFileSync;",
    allowed: /must not import the Node built-in 'node:fs'/,
  },
  {
    name: 'shared → a Node built-in',
    folder: 'shared/ipc',
    source: "import 'crypto';",
    allowed: /must not import the Node built-in 'crypto'/,
  },
  {
    name: 'core → electron',
    folder: 'electron/core/services',
    source: "import 'electron';",
    allowed: /only electron\/main and electron\/preload do/,
  },
  {
    name: 'core/base → a higher core layer',
    folder: 'electron/core/base',
    source: "import '../sessions/engine';",
    allowed: /electron\/core\/base may import shared\/domain only/,
  },
  {
    name: 'core/base → shared/ipc',
    folder: 'electron/core/base',
    source: "import '../../../shared/ipc';",
    allowed: /electron\/core\/base may import shared\/domain only/,
  },
  {
    name: 'preload → core',
    folder: 'electron/preload',
    source: "import '../core/app';",
    allowed: /preload may import shared\/ipc and electron only/,
  },
];

describe('the layering lint rule', () => {
  for (const plant of forbidden) {
    it(`refuses ${plant.name}`, async () => {
      const messages = await lintPlanted(plant.folder, plant.source);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^airlock\/layers: Layering: /);
      expect(messages[0]).toMatch(plant.allowed);
    });
  }

  const allowed: { name: string; folder: string; source: string }[] = [
    {
      name: 'core sessions → codec and shared',
      folder: 'electron/core/sessions',
      source: "import '../datachannel/codec';\nimport '../../../shared/ipc';",
    },
    { name: 'renderer → shared', folder: 'renderer/app', source: "import '../../shared/ipc';" },
    {
      name: 'emulator → codec',
      folder: 'electron/emulator/agent',
      source: "import '../../core/datachannel/codec/frame';",
    },
    { name: 'cli → core', folder: 'electron/cli', source: "import '../core/app';" },
  ];
  for (const plant of allowed) {
    it(`allows ${plant.name}`, async () => {
      expect(await lintPlanted(plant.folder, plant.source)).toEqual([]);
    });
  }
});

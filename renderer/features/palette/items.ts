// What the command palette lists: every instance of every source (open its shell, or start a
// Session document on it), the saved profiles (a shell profile opens its tab, a forward profile
// starts its forward), the port forwards (start a stopped one, show a running one) and the
// commands of the registry. Built fresh each time the palette opens, from the stores as they are.
import type { Instance } from '../../../shared/ipc';
import type { Services } from '../../app/services';
import { COMMANDS } from '../../app/shortcuts';
import { describeRemote, isRunning } from '../forwards/format';
import type { Searchable } from './fuzzy';

export type PaletteKind = 'instance' | 'profile' | 'forward' | 'command';

export interface PaletteItem extends Searchable {
  readonly kind: PaletteKind;
  /** What Enter does, shown on the highlighted row: "Open shell", "Start forward"... */
  readonly action: string;
  readonly run: () => void;
  /** An instance: Shift+Enter starts a Session document on it instead of the default shell. */
  readonly instance?: Instance;
}

/** Palette commands are not listed in the palette itself. */
export const PALETTE_COMMAND_PREFIX = 'palette.';

function instanceItems(services: Services): PaletteItem[] {
  return services.inventory.getState().instances.map((instance) => ({
    id: `instance:${instance.key}`,
    kind: 'instance',
    label: instance.name || instance.instanceId,
    detail: [
      instance.instanceId,
      instance.ipAddress,
      instance.publicIpAddress ?? '',
      instance.sourceLabel,
      instance.region,
      instance.platformName,
    ].join(' '),
    action: 'Open shell',
    instance,
    run: () => void services.openInstance(instance),
  }));
}

function profileItems(services: Services): PaletteItem[] {
  const { forwards } = services;
  return forwards.getState().profiles.map((profile) => ({
    id: `profile:${profile.id}`,
    kind: 'profile',
    label: profile.name,
    detail: `${profile.kind === 'shell' ? 'shell profile' : 'forward profile'} ${profile.region} ${profile.awsProfile ?? ''}`,
    action: profile.kind === 'shell' ? 'Open shell' : 'Start forward',
    run: () => {
      if (profile.kind === 'shell') forwards.getState().openShellProfile(profile);
      else void forwards.getState().startProfile(profile);
    },
  }));
}

function forwardItems(services: Services): PaletteItem[] {
  const { forwards, app } = services;
  return forwards.getState().forwards.map((forward) => {
    const running = isRunning(forward);
    return {
      id: `forward:${forward.id}`,
      kind: 'forward',
      label: forward.name,
      detail: `forward ${describeRemote(forward)} ${forward.instanceId} ${forward.group ?? ''} ${forward.localAddress ?? ''}`,
      action: running ? 'Show forwards' : 'Start forward',
      run: () => {
        if (running) app.getState().show('forwards');
        else void forwards.getState().start(forward.id);
      },
    };
  });
}

function commandItems(services: Services): PaletteItem[] {
  const { commands } = services;
  return commands
    .list()
    .filter((command) => !command.id.startsWith(PALETTE_COMMAND_PREFIX))
    .filter((command) => commands.enabled(command.id))
    .map((command) => ({
      id: `command:${command.id}`,
      kind: 'command',
      label: command.title,
      detail: 'command',
      action: 'Run',
      run: () => void commands.run(command.id),
    }));
}

/** Everything the palette can find, commands first among equals (they are few and short). */
export function paletteItems(services: Services): PaletteItem[] {
  return [
    ...commandItems(services),
    ...profileItems(services),
    ...forwardItems(services),
    ...instanceItems(services),
  ];
}

/** The inventory's search box, found in its view: `/` focuses it, as in many web apps. */
export function focusInventorySearch(services: Services): void {
  services.commands.run(COMMANDS.show('inventory'));
  // The view is always mounted (only hidden), so the box exists; focus after it is shown.
  requestAnimationFrame(() => {
    const box = document.querySelector<HTMLInputElement>(
      'section[aria-label="Inventory"] input[type="search"]',
    );
    box?.focus();
    box?.select();
  });
}

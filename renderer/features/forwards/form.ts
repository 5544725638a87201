// The forward dialog's form: its fields as typed, the form of an existing forward, the presets for
// common ports, the default name, and the checks that turn it into a forwards:create draft (with
// the confirmation a bind beyond loopback needs).
import type { ForwardDraft, ForwardView, Instance } from '../../../shared/ipc';
import { isLoopback } from './format';

/** The dialog's fields as typed (text inputs stay strings until validated). */
export interface ForwardForm {
  name: string;
  group: string;
  instanceKey: string;
  remoteKind: 'instance-port' | 'remote-host' | 'socks';
  remoteHost: string;
  remotePort: string;
  localPortAuto: boolean;
  localPort: string;
  bindAddress: string;
  /** The user ticked the box naming the risk of binding beyond loopback. */
  exposeConfirmed: boolean;
  /** Start a new session when Session Manager ends one for idle time or maximum duration. */
  restartEndedSessions: boolean;
  /** Start the forward whenever Airlock starts. */
  startOnLaunch: boolean;
}

export type ForwardFormField = keyof ForwardForm;

export const EMPTY_FORM: ForwardForm = {
  name: '',
  group: '',
  instanceKey: '',
  remoteKind: 'instance-port',
  remoteHost: '',
  remotePort: '',
  localPortAuto: true,
  localPort: '',
  bindAddress: '127.0.0.1',
  exposeConfirmed: false,
  restartEndedSessions: false,
  startOnLaunch: false,
};

/** The services people forward most, one click each in the dialog. */
export const PORT_PRESETS: readonly { readonly label: string; readonly port: number }[] = [
  { label: 'SSH', port: 22 },
  { label: 'RDP', port: 3389 },
  { label: 'PostgreSQL', port: 5432 },
  { label: 'MySQL', port: 3306 },
  { label: 'Redis', port: 6379 },
  { label: 'HTTP', port: 80 },
  { label: 'HTTP', port: 8080 },
  { label: 'HTTPS', port: 443 },
];

/** The name a forward gets when the user leaves it empty: `instance-name:port`. */
export function defaultForwardName(
  instance: Pick<Instance, 'name' | 'instanceId'> | undefined,
  remotePort: string,
): string | undefined {
  const port = parsePort(remotePort, 1);
  if (!instance || port === undefined) return undefined;
  return `${instance.name.trim() || instance.instanceId}:${port}`;
}

/** The form for editing an existing forward. */
export function formOf(forward: ForwardView, instances: readonly Instance[]): ForwardForm {
  const instance = instances.find(
    (i) => i.instanceId === forward.instanceId && i.region === forward.region,
  );
  return {
    name: forward.name,
    group: forward.group ?? '',
    instanceKey: instance?.key ?? '',
    remoteKind: forward.remote.kind,
    remoteHost: forward.remote.kind === 'remote-host' ? forward.remote.host : '',
    remotePort: forward.remote.kind === 'socks' ? '' : String(forward.remote.port),
    localPortAuto: forward.localPort === 0,
    localPort: forward.localPort === 0 ? '' : String(forward.localPort),
    bindAddress: forward.bindAddress,
    exposeConfirmed: forward.allowAllInterfaces === true,
    restartEndedSessions: forward.restartEndedSessions === true,
    startOnLaunch: forward.startOnLaunch === true,
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parsePort(text: string, min: number): number | undefined {
  if (!/^\d{1,5}$/.test(text.trim())) return undefined;
  const port = Number(text.trim());
  return port >= min && port <= 65535 ? port : undefined;
}

export function needsExposeConfirmation(bindAddress: string): boolean {
  const address = bindAddress.trim();
  return address !== '' && !isLoopback(address);
}

/** Checks the form; returns the draft for forwards:create, or a message per bad field. */
export function validateForwardForm(
  form: ForwardForm,
  instances: readonly Instance[],
):
  | { ok: true; draft: ForwardDraft; instance: Instance }
  | { ok: false; errors: Partial<Record<ForwardFormField, string>> } {
  const errors: Partial<Record<ForwardFormField, string>> = {};
  const group = form.group.trim();
  if (group.length > 64) errors.group = 'At most 64 characters.';
  const instance = instances.find((i) => i.key === form.instanceKey);
  if (!instance) errors.instanceKey = 'Pick an instance.';
  const socks = form.remoteKind === 'socks';
  const name =
    form.name.trim() ||
    (socks && instance ? `${instance.name.trim() || instance.instanceId} SOCKS` : undefined) ||
    defaultForwardName(instance, form.remotePort) ||
    '';
  if (name.length > 100) errors.name = 'At most 100 characters.';
  // A SOCKS proxy has no remote port of its own: each client names its destination.
  const remotePort = socks ? 0 : parsePort(form.remotePort, 1);
  if (remotePort === undefined) errors.remotePort = 'A port from 1 to 65535.';
  const host = form.remoteHost.trim();
  if (form.remoteKind === 'remote-host') {
    if (host === '') errors.remoteHost = 'The host to reach through the instance.';
    else if (!/^[A-Za-z0-9._:[\]-]{1,253}$/.test(host))
      errors.remoteHost = 'A DNS name or an IP address.';
  }
  const localPort = form.localPortAuto ? 0 : parsePort(form.localPort, 1);
  if (localPort === undefined) errors.localPort = 'A port from 1 to 65535, or automatic.';
  const bind = form.bindAddress.trim();
  if (!IPV4.test(bind) && bind !== '::1' && bind !== '::') {
    errors.bindAddress = 'An IP address such as 127.0.0.1.';
  } else if (needsExposeConfirmation(bind) && !form.exposeConfirmed) {
    errors.exposeConfirmed = 'Confirm that other computers may connect, or use 127.0.0.1.';
  }
  if (!instance || remotePort === undefined || localPort === undefined)
    return { ok: false, errors };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const draft: ForwardDraft = {
    name,
    ...(group !== '' && { group }),
    instanceId: instance.instanceId,
    awsProfile: instance.profile,
    region: instance.region,
    remote: socks
      ? { kind: 'socks' }
      : form.remoteKind === 'instance-port'
        ? { kind: 'instance-port', port: remotePort }
        : { kind: 'remote-host', host, port: remotePort },
    bindAddress: bind,
    localPort,
    ...(needsExposeConfirmation(bind) && { allowAllInterfaces: true }),
    ...(form.restartEndedSessions && { restartEndedSessions: true }),
    ...(form.startOnLaunch && { startOnLaunch: true }),
  };
  return { ok: true, draft, instance };
}

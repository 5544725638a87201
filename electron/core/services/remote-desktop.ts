// "Remote Desktop" for a Windows instance: a forward of its port 3389 on an automatic local port
// (reused when one exists), then the system's RDP client on that address (rdp-launch.ts).

import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  IpcFailure,
  type ForwardView,
  type Instance,
  type RdpOpenResponse,
} from '../../../shared/ipc';
import type { Environment } from './aws-environment';
import type { ForwardsService } from './forwards-service';
import { rdpLaunchPlan, type LinuxRdpClients, type RdpEndpoint } from './rdp-launch';
import { findOnPath, type SshTarget } from './ssh-service';

export const RDP_PORT = 3389;
/** The tag rule: an instance tag with this key names the Windows user to prefill. */
export const RDP_USER_TAG = 'airlock:rdp-user';
export const DEFAULT_RDP_USER = 'Administrator';

export interface RemoteDesktopOptions {
  readonly forwards: Pick<ForwardsService, 'list' | 'create' | 'start'>;
  readonly inventory: {
    find(instanceId: string, sourceId?: string, region?: string): Instance | undefined;
  };
  readonly env: Environment;
  readonly platform: NodeJS.Platform;
  /** Where .rdp files are written (a folder of the user's data). */
  readonly dir: string;
  /** Starts a program detached from the app (default: spawn, unref'd). */
  readonly launch?: (file: string, args: readonly string[]) => void;
}

export interface RemoteDesktopService {
  open(target: SshTarget): Promise<RdpOpenResponse>;
}

/** The Windows user for an instance: its `airlock:rdp-user` tag, else Administrator. */
export function rdpUserOf(instance: Instance): string {
  const tagged = instance.tags.find((tag) => tag.key === RDP_USER_TAG)?.value.trim();
  return tagged !== undefined && /^[A-Za-z0-9@._\\ -]{1,104}$/.test(tagged)
    ? tagged
    : DEFAULT_RDP_USER;
}

function defaultLaunch(file: string, args: readonly string[]): void {
  const child = spawn(file, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => undefined);
  child.unref();
}

export function createRemoteDesktopService(options: RemoteDesktopOptions): RemoteDesktopService {
  const launch = options.launch ?? defaultLaunch;

  /** A running forward to the instance's port 3389: an existing one started, else a new one. */
  async function forwardTo(instance: Instance): Promise<ForwardView> {
    const existing = options.forwards
      .list()
      .forwards.find(
        (forward) =>
          forward.instanceId === instance.instanceId &&
          forward.region === instance.region &&
          forward.remote.kind === 'instance-port' &&
          forward.remote.port === RDP_PORT,
      );
    if (existing && existing.boundPort !== undefined) return existing;
    if (existing) return options.forwards.start(existing.id);
    return options.forwards.create({
      name: `Remote Desktop ${instance.name.trim() || instance.instanceId}`,
      instanceId: instance.instanceId,
      awsProfile: instance.profile,
      region: instance.region,
      remote: { kind: 'instance-port', port: RDP_PORT },
      bindAddress: '127.0.0.1',
      localPort: 0,
    });
  }

  return {
    async open(target) {
      const instance = options.inventory.find(target.instanceId, target.sourceId, target.region);
      if (!instance) {
        throw new IpcFailure('not-found', `${target.instanceId} is not in the inventory`);
      }
      if (instance.platform !== 'Windows') {
        throw new IpcFailure(
          'invalid-request',
          `Remote Desktop is for Windows instances; ${instance.instanceId} runs ${instance.platform}`,
        );
      }
      const forward = await forwardTo(instance);
      if (forward.boundPort === undefined) {
        throw new IpcFailure(
          'session-failed',
          `Cannot forward port ${RDP_PORT}: ${forward.problem?.message ?? 'the forward did not start'}`,
        );
      }
      const endpoint: RdpEndpoint = {
        host: '127.0.0.1',
        port: forward.boundPort,
        username: rdpUserOf(instance),
      };
      const searchPath = options.env.PATH ?? '';
      const linux: LinuxRdpClients = {};
      if (options.platform !== 'win32' && options.platform !== 'darwin') {
        const xfreerdp = await findOnPath('xfreerdp', searchPath);
        const remmina = await findOnPath('remmina', searchPath);
        if (xfreerdp !== undefined) linux.xfreerdp = xfreerdp;
        if (remmina !== undefined) linux.remmina = remmina;
      }
      const plan = rdpLaunchPlan(options.platform, endpoint, linux);
      const base = { forwardId: forward.id, username: endpoint.username };
      if (plan.kind === 'show-address') {
        return { outcome: 'address', address: plan.address, ...base };
      }
      let args = plan.args;
      if (plan.kind === 'rdp-file') {
        await mkdir(options.dir, { recursive: true });
        const file = path.join(options.dir, `${instance.instanceId}.rdp`);
        await writeFile(file, plan.content, 'utf8');
        args = [...plan.args, file];
      }
      launch(plan.command, args);
      return {
        outcome: 'launched',
        address: `${endpoint.host}:${endpoint.port}`,
        program: path.basename(plan.command),
        ...base,
      };
    },
  };
}

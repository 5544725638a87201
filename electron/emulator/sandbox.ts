// The Local sandbox: one loopback HTTP (or HTTPS) server with the emulated AWS APIs on POST / and the data channel on /v1/data-channel/*.

import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { systemClock, type Clock } from '../core/base/clock';
import { silentLogger, type Logger } from '../core/base/logger';
import { CredentialStore } from './api/accounts';
import { createApiHandler, type ApiRequestHandler } from './api/handler';
import type { SessionDefaults } from './api/context';
import { SandboxPreferences, type RegionPreferences } from './api/session-preferences';
import { SandboxKms, type KeyScope } from './api/kms-keys';
import { newApprovalCode, type SsoApproval } from './api/sso-oidc';
import { createLoopbackGuard, type GuardRefusal } from './loopback-guard';
import {
  createDataChannelServer,
  type DataChannelServer,
  type DataChannelServerOptions,
} from './datachannel-server';
import {
  Fleet,
  generateFleet,
  loadFleetFile,
  parseFleet,
  type FleetDefinition,
  type FleetFileInput,
} from './fleet';
import { defaultFleet } from './fleet-default';
import type { SandboxFaults } from './faults';
import { SessionRegistry } from './registry';
import { toErrorMessage } from '../core/base/errors';
import { PushedSshKeys } from './ssh-keys';
import { ApiThrottle, type ThrottleRule } from './api/throttle';
import { dialerWithSshd, startSandboxSshd, type SandboxSshd } from './sshd';
import { dialerWithRdp, startSandboxRdp, type SandboxRdp } from './rdp';

/** Plain HTTP, or HTTPS with the `tls` option. */
type Server = HttpServer | HttpsServer;

/** The sandbox binds to loopback only: its shells run as the local user. */
export const SANDBOX_HOST = '127.0.0.1';

/** A KMS alias that exists in every account and region of every sandbox. */
export const SANDBOX_KMS_ALIAS = 'alias/airlock-sandbox';

/** Session Manager's default idle session timeout (20 minutes). */
export const DEFAULT_IDLE_TIMEOUT_MS = 20 * 60_000;

/** StreamUrls point below this path; upgrades elsewhere are refused. */
export const DATA_CHANNEL_PREFIX = '/v1/data-channel/';

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** A fleet file path or its parsed content; default: the built-in fleet. */
  fleet?: string | FleetFileInput;
  /** Generate this many instances instead (over five regions); excludes `fleet`. */
  instances?: number;
  /** Seed for `instances` (default 1). */
  seed?: number;
  /** Spread `instances` over this many accounts (default 1), each with its own access key. */
  generatedAccounts?: number;
  /** Session preferences require KMS encryption with this key (id, alias or ARN); it is created. */
  kmsKeyId?: string;
  /** The real agent's output pacing (1 KiB per message, 1 ms sleep); default true. */
  pacing?: boolean;
  /** Faults injected on the agent's messages (drop, duplicate, reorder, delay, cut). */
  faults?: SandboxFaults;
  /**
   * Who approves Identity Center logins (device code and authorization code alike). Default: a
   * random approval code (`ssoApprovalCode`) that must be entered on the sandbox's sign-in page.
   */
  ssoApproval?: SsoApproval;
  /** Idle session timeout (default 20 minutes); 0 disables it. */
  idleTimeoutMs?: number;
  /** Maximum session duration; default none. */
  maxDurationMs?: number;
  /**
   * Run an OpenSSH server (sshd, as the local user) that stands for port 22 of every instance and
   * accepts keys pushed with EC2 Instance Connect; default false.
   */
  sshd?: boolean;
  /** How long a key pushed with SendSSHPublicKey is accepted (default 60 s, as on AWS). */
  sshKeyLifetimeMs?: number;
  /**
   * Session Manager preferences per region (the SSM-SessionManagerRunShell document's inputs), or
   * null for a region without the document. Regions not named here have a document that matches
   * `idleTimeoutMs`, `maxDurationMs` and `kmsKeyId`. `preferences.set()` changes them later.
   */
  preferences?: RegionPreferences;
  /** API rate limits per account, region and operation; beyond them calls are throttled. */
  throttle?: readonly ThrottleRule[];
  /** Further data-channel settings (shell, timeouts, test hooks); see DataChannelServerOptions. */
  dataChannel?: Omit<
    DataChannelServerOptions,
    'registry' | 'fleet' | 'kms' | 'clock' | 'logger' | 'pacing' | 'faults'
  >;
  /**
   * Serve HTTPS and WSS with this key and certificate (PEM), as AWS does, instead of plain HTTP:
   * for proxy and certificate tests. `hostName` is the name in the endpoint and StreamUrls (it
   * must be in the certificate; a test may make it resolvable only through its proxy).
   */
  tls?: { key: string; cert: string; hostName?: string };
  clock?: Clock;
  logger?: Logger;
}

/** One access key of the sandbox and what it can see. */
export interface SandboxAccount {
  accountId: string;
  userName: string;
  arn: string;
  accessKeyId: string;
  /** Secret key material: print it for the user, never log it. */
  secretAccessKey: string;
  /** Instances of this account over all regions. */
  instances: number;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL for SSM, EC2, STS and KMS alike. */
  readonly endpoint: string;
  readonly port: number;
  /** The default region. */
  readonly region: string;
  /** Every region of the fleet. */
  readonly regions: readonly string[];
  /** The code that approves Identity Center logins on the sign-in page (code approval only). */
  readonly ssoApprovalCode: string | undefined;
  /** The first account's first key: what `airlock sandbox` prints. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly accounts: readonly SandboxAccount[];
  readonly fleet: Fleet;
  readonly registry: SessionRegistry;
  /** Session Manager preferences per region; set() applies to sessions started afterwards. */
  readonly preferences: SandboxPreferences;
  /** The rate limits of `throttle` and how many calls they refused. */
  readonly throttle: ApiThrottle;
  readonly kms: SandboxKms;
  /** Keys pushed with EC2 Instance Connect; onExpired tells when sshd stops accepting one. */
  readonly sshKeys: PushedSshKeys;
  /** The loopback port of the sandbox's sshd (instances' port 22), when it runs one. */
  readonly sshdPort: number | undefined;
  /** The stand-in for Windows instances' port 3389 (rdp.ts). */
  readonly rdp: SandboxRdp;
  readonly credentialStore: CredentialStore;
  /** The WebSocket side: agents, stats, cut() and sendPublication() for fault tests. */
  readonly dataChannel: DataChannelServer;
  /** TCP connections currently open to the sandbox (HTTP and WebSocket), for leak checks. */
  openConnections(): number;
  /** Stops accepting, ends every session (channel_closed), closes every socket and shell. */
  close(): Promise<void>;
}

/** A sandbox option that cannot work (bad fleet, port in use, bad KMS key id). */
export class SandboxError extends Error {
  override readonly name = 'SandboxError';

  constructor(
    readonly code:
      'SANDBOX_OPTIONS' | 'SANDBOX_LISTEN' | 'SANDBOX_FLEET' | 'SANDBOX_KMS' | 'SANDBOX_SSHD',
    message: string,
  ) {
    super(message);
  }
}

async function resolveFleet(options: SandboxOptions, now: number): Promise<FleetDefinition> {
  if (options.instances !== undefined && options.fleet !== undefined) {
    throw new SandboxError(
      'SANDBOX_OPTIONS',
      'choose either a fleet or a generated instance count, not both',
    );
  }
  try {
    if (options.instances !== undefined)
      return generateFleet(options.instances, options.seed ?? 1, {
        now,
        accounts: generatedAccountIds(options.generatedAccounts ?? 1),
      });
    if (typeof options.fleet === 'string') return await loadFleetFile(options.fleet, now);
    if (options.fleet !== undefined) return parseFleet(options.fleet, 'fleet', now);
    return defaultFleet(now);
  } catch (error) {
    throw new SandboxError('SANDBOX_FLEET', toErrorMessage(error));
  }
}

/** `100000000001`, `100000000002`, …: twelve digits, as account ids are. */
function generatedAccountIds(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new SandboxError(
      'SANDBOX_OPTIONS',
      `generatedAccounts must be a whole number from 1 to 1000, got ${count}`,
    );
  }
  return Array.from({ length: count }, (_, i) => String(100_000_000_001 + i));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${SANDBOX_HOST} is already in use`
          : error.message;
      reject(new SandboxError('SANDBOX_LISTEN', `cannot listen: ${reason}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, SANDBOX_HOST);
  });
}

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SandboxError(
      'SANDBOX_OPTIONS',
      `port must be an integer from 0 to 65535, got ${port}`,
    );
  }
  return port;
}

function createCredentialStore(definition: FleetDefinition): CredentialStore {
  try {
    return new CredentialStore(definition.accounts);
  } catch (error) {
    throw new SandboxError('SANDBOX_FLEET', toErrorMessage(error));
  }
}

/** The sandbox's KMS: its own alias, and the session preferences' key, in every account and region. */
function createKms(fleet: Fleet, kmsKeyId: string | undefined): SandboxKms {
  const kms = new SandboxKms();
  const scopes: KeyScope[] = fleet.accounts.flatMap((account) =>
    fleet.regions.map((region) => ({ accountId: account.accountId, region })),
  );
  kms.ensureKey(SANDBOX_KMS_ALIAS, scopes);
  if (kmsKeyId !== undefined) {
    try {
      kms.ensureKey(kmsKeyId, scopes);
    } catch (error) {
      throw new SandboxError('SANDBOX_KMS', toErrorMessage(error));
    }
  }
  return kms;
}

/** The open TCP connections of `server`, kept current as they come and go. */
function trackConnections(server: Server): ReadonlySet<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    // A client that resets its connection must not take the sandbox down.
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** The preferences of regions the options do not configure one by one. */
function sessionDefaults(options: SandboxOptions): SessionDefaults {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  return {
    ...(options.kmsKeyId !== undefined && { kmsKeyId: options.kmsKeyId }),
    ...(idleTimeoutMs > 0 && { idleTimeoutMs }),
    ...(options.maxDurationMs !== undefined && { maxDurationMs: options.maxDurationMs }),
  };
}

function rejectUpgrade(socket: Duplex, status: string): void {
  if (!socket.destroyed)
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** What the server's front door hands requests to, once they pass the loopback guard. */
interface FrontDoor {
  guard: (req: IncomingMessage) => GuardRefusal;
  api: ApiRequestHandler;
  dataChannel: DataChannelServer;
  logger: Logger;
  isClosing: () => boolean;
}

/**
 * Routes the server's traffic: HTTP requests to the API, WebSocket upgrades under the data-channel
 * prefix to the data-channel server; foreign Hosts and Origins are refused, and everything once
 * closing has begun.
 */
function openFrontDoor(server: Server, door: FrontDoor): void {
  const { guard, logger } = door;
  server.on('request', (req, res) => {
    if (door.isClosing()) {
      res.writeHead(503, { connection: 'close' }).end();
      return;
    }
    const refused = guard(req);
    if (refused !== undefined) {
      logger.log('warn', 'request refused', { why: refused === 'host' ? 'Host' : 'Origin' });
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
      res.end(
        refused === 'host'
          ? 'The Local sandbox answers only at its own 127.0.0.1 address.\n'
          : 'The Local sandbox does not answer web pages of other origins.\n',
      );
      return;
    }
    door.api(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (door.isClosing()) return rejectUpgrade(socket, '503 Service Unavailable');
    // No page (not even the sandbox's own) opens data channels: any Origin is refused.
    if (guard(req) !== undefined || req.headers.origin !== undefined) {
      return rejectUpgrade(socket, '403 Forbidden');
    }
    if (!path.startsWith(DATA_CHANNEL_PREFIX)) return rejectUpgrade(socket, '404 Not Found');
    try {
      door.dataChannel.handleUpgrade(req, socket, head);
    } catch (error) {
      logger.log('warn', 'data-channel upgrade failed', {
        error: toErrorMessage(error),
      });
      rejectUpgrade(socket, '500 Internal Server Error');
    }
  });
}

function describeAccounts(credentialStore: CredentialStore, fleet: Fleet): SandboxAccount[] {
  return credentialStore.list().map((credential) => ({
    accountId: credential.principal.accountId,
    userName: credential.principal.name,
    arn: credential.principal.arn,
    accessKeyId: credential.accessKeyId,
    secretAccessKey: credential.secretAccessKey,
    instances: fleet.countFor(credential.principal.accountId),
  }));
}

/** What closing the sandbox ends, in order: sessions, the data channel, then every connection. */
interface RunningParts {
  registry: SessionRegistry;
  ssh: SshParts;
  rdp: SandboxRdp;
  dataChannel: DataChannelServer;
  server: Server;
  sockets: ReadonlySet<Socket>;
  logger: Logger;
}

async function shutdown({
  ssh,
  rdp,
  registry,
  dataChannel,
  server,
  sockets,
  logger,
}: RunningParts): Promise<void> {
  registry.terminateAll('shutdown');
  try {
    await dataChannel.close();
  } catch (error) {
    logger.log('warn', 'data-channel server did not close cleanly', {
      error: toErrorMessage(error),
    });
  }
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  // Wait for each socket's 'close' too, so nothing is left open when close() resolves.
  await Promise.all(
    [...sockets].map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.destroy();
        }),
    ),
  );
  await closed;
  registry.dispose();
  await ssh.sshd?.close();
  await rdp.close();
  ssh.keys.dispose();
}

/** The pushed-key store and, when asked for, the sshd that honours it. */
interface SshParts {
  keys: PushedSshKeys;
  sshd: SandboxSshd | undefined;
}

async function startSsh(options: SandboxOptions, clock: Clock): Promise<SshParts> {
  const lifetime = options.sshKeyLifetimeMs;
  if (lifetime !== undefined && !(Number.isInteger(lifetime) && lifetime > 0)) {
    throw new SandboxError('SANDBOX_OPTIONS', 'the SSH key lifetime must be a positive number');
  }
  const keys = new PushedSshKeys(clock, lifetime);
  if (options.sshd !== true) return { keys, sshd: undefined };
  try {
    return { keys, sshd: await startSandboxSshd(keys) };
  } catch (error) {
    keys.dispose();
    throw new SandboxError('SANDBOX_SSHD', `cannot start sshd: ${toErrorMessage(error)}`);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const port = checkedPort(options.port ?? 0);
  const definition = await resolveFleet(options, clock.now());
  const fleet = new Fleet(definition);
  const credentialStore = createCredentialStore(definition);
  const kms = createKms(fleet, options.kmsKeyId);
  const ssh = await startSsh(options, clock);
  const rdp = await startSandboxRdp();

  const { tls } = options;
  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }) : createServer();
  // A client that distrusts the certificate aborts its handshake: that is its business.
  server.on('tlsClientError', () => undefined);
  const sockets = trackConnections(server);
  const boundPort = await listen(server, port).catch(async (error: unknown) => {
    await rdp.close();
    await ssh.sshd?.close();
    ssh.keys.dispose();
    throw error;
  });
  const authority = `${tls?.hostName ?? SANDBOX_HOST}:${boundPort}`;
  const endpoint = `${tls ? 'https' : 'http'}://${authority}`;
  const ssoApproval: SsoApproval = options.ssoApproval ?? {
    kind: 'code',
    code: newApprovalCode(),
  };
  const preferences = new SandboxPreferences(sessionDefaults(options), options.preferences);
  const registry = new SessionRegistry({
    clock,
    streamUrl: (sessionId) =>
      `${tls ? 'wss' : 'ws'}://${authority}${DATA_CHANNEL_PREFIX}${sessionId}?role=publish_subscribe`,
  });
  const throttle = new ApiThrottle(clock, options.throttle ?? []);
  const api = createApiHandler({
    fleet,
    registry,
    credentials: credentialStore,
    kms,
    clock,
    logger: logger.child('api'),
    ssoApproval,
    endpoint,
    sshKeys: ssh.keys,
    preferences,
    throttle,
  });
  const dataChannel = createDataChannelServer({
    ...options.dataChannel,
    registry,
    fleet,
    kms,
    pacing: options.pacing ?? true,
    clock,
    logger: logger.child('datachannel'),
    ...(options.faults !== undefined && { faults: options.faults }),
    ...(ssh.sshd && { dial: dialerWithSshd(ssh.sshd.port, options.dataChannel?.dial) }),
    windowsDial: dialerWithRdp(rdp.port, options.dataChannel?.dial),
  });

  let closing: Promise<void> | undefined;
  openFrontDoor(server, {
    guard: createLoopbackGuard({
      host: SANDBOX_HOST,
      port: boundPort,
      scheme: tls ? 'https' : 'http',
      ...(tls?.hostName !== undefined && { hostName: tls.hostName }),
      ownOriginPaths: new Set(['/device', '/authorize']),
    }),
    api,
    dataChannel,
    logger,
    isClosing: () => closing !== undefined,
  });
  logger.log('info', 'sandbox listening', {
    endpoint,
    regions: fleet.regions,
    instances: fleet.size,
  });

  const primary = credentialStore.primary();
  return {
    endpoint,
    port: boundPort,
    region: fleet.defaultRegion,
    regions: fleet.regions,
    credentials: { accessKeyId: primary.accessKeyId, secretAccessKey: primary.secretAccessKey },
    ssoApprovalCode: ssoApproval.kind === 'code' ? ssoApproval.code : undefined,
    accounts: describeAccounts(credentialStore, fleet),
    fleet,
    registry,
    preferences,
    throttle,
    kms,
    sshKeys: ssh.keys,
    sshdPort: ssh.sshd?.port,
    rdp,
    credentialStore,
    dataChannel,
    openConnections: () => sockets.size,
    close() {
      closing ??= shutdown({ ssh, rdp, registry, dataChannel, server, sockets, logger });
      return closing;
    },
  };
}

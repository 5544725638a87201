// One `airlock plugin` session, from the StartSession response to the exit status: the local
// terminal or listener, signals, and the data channel. Loaded only when a session starts.

import { createServer, type Server, type Socket } from 'node:net';
import { unlink } from 'node:fs/promises';
import { Duplex, type Readable, type Writable } from 'node:stream';
import type { AwsCredentialsInput } from '../core/aws/ssm-api';
import { lazyKmsApi, lazyNodeProviderChain, lazySsmApi } from '../core/aws/lazy-apis';
import { networkAgent } from '../core/network/network-settings';
import { profileCaBundle } from '../core/aws/profile-ca-bundle';
import type { Clock } from '../core/base/clock';
import type { DataChannelSession } from '../core/sessions/engine';
import { openStartedSession } from '../core/sessions/launcher';
import type { PortForwardSession } from '../core/sessions/port-session';
import type { ReadySession, SessionStatus } from '../core/sessions/session-types';
import type { ShellSession } from '../core/sessions/shell-session';
import { LocalTerminal } from './terminal';
import { OutputBatcher } from './output-batcher';
import { keepYoungGenerationSmall } from './young-generation';
import { systemClock } from '../core/base/clock';
import {
  describeUnexpected,
  reportExit,
  writeQuietly,
  type Launch,
  type RunOutcome,
} from './exit-status';
import type { PluginApis, PluginDeps, PluginSignal, StartRequest } from './plugin';

/**
 * SSM and KMS for a plugin session. Each loads the AWS SDK on its first call: most sessions call
 * neither (KMS only when the agent asks for encryption, SSM only to resume or terminate).
 */
export function createDefaultApis(
  /** caBundle: the profile's `ca_bundle` (see profileCaBundle), trusted for SSM, KMS and the data channel. */
  config: { region: string; profile: string; endpoint: string; caBundle?: string },
  /** One provider shared by SSM and KMS (e.g. one that asks for an MFA code once). */
  credentials?: AwsCredentialsInput,
): PluginApis {
  // The clients would read the network settings when created; read them now, so an unreadable
  // AWS_CA_BUNDLE still ends the run before it starts, in its own words.
  networkAgent(config.caBundle);
  const common = {
    ...(config.region !== '' && { region: config.region }),
    ...(config.caBundle !== undefined && { caBundle: config.caBundle }),
    ...(config.profile !== '' && {
      profile: config.profile,
      credentials: credentials ?? lazyNodeProviderChain({ profile: config.profile }),
    }),
    ...(config.profile === '' && credentials !== undefined && { credentials }),
  };
  // argv[6] is used for SSM only (also by the official plugin); KMS keeps its own resolution,
  // which in the SDK includes AWS_ENDPOINT_URL_KMS and AWS_ENDPOINT_URL.
  const ssm = lazySsmApi({
    ...common,
    ...(config.endpoint !== '' && { endpoint: config.endpoint }),
  });
  const kms = lazyKmsApi(common);
  return {
    ssm,
    kms,
    destroy: () => {
      ssm.destroy();
      kms.destroy();
    },
  };
}

/** How long the agent gets to end a byte-stream session itself once the local side closed. */
export const LOCAL_CLOSE_GRACE_MS = 1000;
/** How long a TerminateSession flag or API call may take before the plugin exits anyway. */
const TERMINATE_TIMEOUT_MS = 2000;

/** Runs one session to its exit status (see runStartedSession in ./plugin). */
export function runPluginSession(
  request: StartRequest,
  deps: PluginDeps,
  launch: Launch,
): Promise<number> {
  // This process now runs one session for as long as it lasts: keep its memory near idle.
  keepYoungGenerationSmall();
  return new PluginSession(request, deps, launch).run();
}

/** One plugin session from the first line printed to the exit status. */
class PluginSession {
  private readonly sessionId: string;
  private readonly terminal: LocalTerminal;
  /** Remote output, one write per event-loop turn. */
  private readonly output = new OutputBatcher();
  private readonly clock: Clock;
  private readonly cleanups: (() => void | Promise<void>)[] = [];
  private session: DataChannelSession | undefined;
  private ready: ReadySession | undefined;
  private exitCode: number | undefined;
  private resolveExit: ((outcome: RunOutcome) => void) | undefined;
  private finished = false;
  /** Set when we are ending the session ourselves: the text to print once it is over. */
  private closingText: string | undefined;
  /** A byte-stream session (AWS-StartSSHSession): stdout carries remote bytes only. */
  private streamMode = false;
  /** The local side went away (stdin EOF, stdout closed): end quietly with status 0. */
  private localClosed = false;

  constructor(
    private readonly request: StartRequest,
    private readonly deps: PluginDeps,
    private readonly launch: Launch,
  ) {
    this.sessionId = request.response.sessionId;
    this.terminal = new LocalTerminal(deps, deps.process);
    this.clock = deps.clock ?? systemClock;
  }

  async run(): Promise<number> {
    const { request, deps } = this;
    const exit = new Promise<RunOutcome>((resolve) => {
      this.resolveExit = resolve;
    });
    this.watchLocalStreams();
    // The engine's timers do not hold the process open (a backoff wait would end it with 0).
    const keepAlive = setInterval(() => undefined, 0x7fffffff);
    this.cleanups.push(() => clearInterval(keepAlive));

    let apis: PluginApis;
    try {
      const config = {
        region: request.region,
        profile: request.profile,
        endpoint: request.endpoint,
      };
      if (deps.createApis) apis = deps.createApis(config);
      else {
        const caBundle = await profileCaBundle(request.profile, process.env);
        apis = createDefaultApis({ ...config, ...(caBundle !== undefined && { caBundle }) });
      }
    } catch (error) {
      this.finish({ kind: 'failed', message: this.cannotStart(describeUnexpected(error)) });
      return this.exitWith(await exit);
    }
    this.cleanups.push(() => apis.destroy());

    const session = openStartedSession(request.response, {
      targetId: request.targetId,
      // A legacy invocation refuses KMS encryption, as the original plugin does (spec 6.1).
      apis: { ssm: apis.ssm, ...(request.legacy ? {} : { kms: apis.kms }) },
      initialSize: this.terminal.size() ?? null,
      ...(deps.connect && { connect: deps.connect }),
      ...(deps.clock && { clock: deps.clock }),
      ...(deps.logger && { logger: deps.logger }),
    });
    this.session = session;
    session.onReady((ready) => this.onReady(ready));
    session.onStatus((status) => this.onStatus(status));
    this.handleSignals();
    return this.exitWith(await exit);
  }

  private async exitWith(outcome: RunOutcome): Promise<number> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Cleanup is best effort; the exit status is already decided.
      }
    }
    return reportExit(this.launch, outcome, this.deps);
  }

  private cannotStart(message: string): string {
    return `Cannot perform start session: ${message}`;
  }

  /** stdout or stdin failing (EPIPE: the reader is gone) is the local side closing. */
  private watchLocalStreams(): void {
    const { stdin, stdout, stderr } = this.deps;
    const onLocalError = (): void => this.onLocalClosed();
    const ignore = (): void => undefined;
    stdout.on('error', onLocalError);
    stdin.on('error', onLocalError);
    // Nothing is left to report to when stderr fails; the exit status still tells.
    stderr.on('error', ignore);
    this.cleanups.push(() => {
      stdout.off('error', onLocalError);
      stdin.off('error', onLocalError);
      stderr.off('error', ignore);
    });
  }

  /** Ends the run once: restores the terminal before the last lines are printed. */
  private finish(outcome: RunOutcome, closingText = ''): void {
    if (this.finished) return;
    this.finished = true;
    // Everything the agent printed reaches the terminal before it is restored.
    this.output.flush();
    this.terminal.restore();
    // Once the local side is gone, only a signal changes how the run ends (README table).
    const final = this.localClosed && outcome.kind !== 'signal' ? localClosed : outcome;
    if (closingText !== '' && final.kind !== 'local-closed') this.status(closingText);
    this.session?.close();
    this.resolveExit?.(final);
  }

  /** Text of our own: stdout, as the official plugin, except where stdout is the byte stream. */
  private status(text: string): void {
    this.output.flush();
    writeQuietly(this.streamMode ? this.deps.stderr : this.deps.stdout, text);
  }

  private onStatus(status: SessionStatus): void {
    if (status.state === 'error') {
      this.finish({ kind: 'failed', message: this.cannotStart(status.message) });
      return;
    }
    if (status.state !== 'closed') return;
    const ended: RunOutcome =
      this.exitCode === undefined
        ? { kind: 'ended' }
        : { kind: 'command-finished', exitCode: this.exitCode };
    switch (status.reason) {
      case 'channel-closed':
        this.finish(
          ended,
          status.message === ''
            ? `\n\nExiting session with sessionId: ${this.sessionId}.\n\n`
            : `\n\nSessionId: ${this.sessionId} : ${status.message}\n\n`,
        );
        break;
      case 'timed-out':
        // The session could not be resumed, so whatever ran remotely ended unobserved.
        this.finish({ kind: 'failed', message: status.message });
        break;
      case 'terminated':
      case 'closed':
        this.finish(ended, this.closingText ?? '');
        break;
    }
  }

  private onReady(ready: ReadySession): void {
    this.ready = ready;
    this.streamMode = ready.kind === 'port' && ready.port.mode === 'stream';
    // Printed once the session type is known, so a byte stream's stdout never carries it.
    this.status(`\nStarting session with SessionId: ${this.sessionId}\n`);
    if (ready.info.customerMessage !== '') this.status(`${ready.info.customerMessage}\n`);
    if (ready.kind === 'shell') this.startShell(ready.shell);
    else void this.startPort(ready.port);
  }

  // ---- the local side closing ----

  /**
   * stdin EOF or stdout closed. The agent ends a byte-stream session itself when its destination
   * closes (ssh's server does once the client leaves); if it has not within a short grace, the
   * TerminateSession flag, or the API for agents without the flag, ends it. Credentials are never
   * prompted for here: the user is gone.
   */
  private onLocalClosed(): void {
    if (this.finished || this.localClosed) return;
    this.localClosed = true;
    this.deps.forbidPrompts?.();
    void this.endAfterLocalClose();
  }

  private async endAfterLocalClose(): Promise<void> {
    const session = this.session;
    const ready = this.ready;
    if (session && ready?.kind === 'port') {
      if (!(await this.settlesWithin(session, LOCAL_CLOSE_GRACE_MS))) {
        const flagged = await ready.port.sendTerminate(TERMINATE_TIMEOUT_MS);
        if (!flagged) await session.terminate(TERMINATE_TIMEOUT_MS);
      }
    } else if (session) {
      await session.terminate(TERMINATE_TIMEOUT_MS);
    }
    this.finish(localClosed);
  }

  /** True when the session ends by itself within `ms`. */
  private settlesWithin(session: DataChannelSession, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), ms);
      void session.whenFinished().then(() => {
        timer.cancel();
        resolve(true);
      });
    });
  }

  // ---- shells ----

  private startShell(shell: ShellSession): void {
    const { stdin, stdout, stderr } = this.deps;
    shell.onOutput((bytes, stream) =>
      this.output.write(stream === 'stderr' ? stderr : stdout, bytes),
    );
    shell.onExitCode((code) => {
      this.exitCode = code;
    });
    if (!shell.interactive) return; // NonInteractiveCommands reads no stdin (datachannel/README.md §5.1)

    this.terminal.enterRawMode();
    // The size went out with the handshake; later changes follow SIGWINCH.
    this.terminal.onResize(({ cols, rows }) => shell.resize(cols, rows));

    const onData = (chunk: Buffer | string): void => {
      shell.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      // Stop reading while the channel's queue is full; resume when it drains.
      if (!shell.writable) stdin.pause();
    };
    const offWritable = shell.onWritable(() => stdin.resume());
    stdin.on('data', onData);
    stdin.resume();
    this.cleanups.push(() => {
      offWritable.dispose();
      stdin.off('data', onData);
      stdin.pause();
    });
  }

  // ---- ports ----

  private async startPort(port: PortForwardSession): Promise<void> {
    port.onEvent((event) => {
      switch (event.type) {
        case 'connection-accepted':
          if (port.mode === 'mux' && event.first) {
            this.status(`\nConnection accepted for session [${this.sessionId}]\n`);
          } else if (port.mode === 'basic') {
            this.status(`Connection accepted for session ${this.sessionId}.\n`);
          }
          break;
        case 'connect-error':
          this.status('\nConnection to destination port failed, check SSM Agent logs.\n');
          break;
        case 'local-end':
          // stdin EOF ends a ProxyCommand session (datachannel/README.md §5.3).
          this.onLocalClosed();
          break;
        case 'connection-closed':
          break;
      }
    });

    if (port.mode === 'stream') {
      const { stdin, stdout } = this.deps;
      port.handleConnection(stdioDuplex(stdin, stdout));
      return;
    }

    const props = port.properties;
    const unixPath =
      props.localConnectionType === 'unix' ? (props.localUnixSocket ?? '') : undefined;
    const localPort = parseLocalPort(props.localPortNumber);
    if (unixPath === '' || localPort === undefined) {
      this.finish({
        kind: 'failed',
        message: this.cannotStart(
          `invalid local ${unixPath === '' ? 'unix socket path' : `port number ${props.localPortNumber ?? ''}`}`,
        ),
      });
      return;
    }
    const server = createServer((socket: Socket) => {
      socket.setNoDelay(true);
      port.handleConnection(socket);
    });
    try {
      await listen(
        server,
        unixPath ?? { port: localPort, host: this.deps.listenHost ?? '127.0.0.1' },
      );
    } catch (error) {
      this.finish({
        kind: 'failed',
        message: this.cannotStart(
          `cannot listen on ${unixPath ?? `port ${localPort}`}: ${describeUnexpected(error)}`,
        ),
      });
      return;
    }
    server.on('error', () => undefined);
    this.cleanups.push(async () => {
      server.close();
      if (unixPath !== undefined) await unlink(unixPath).catch(() => undefined);
    });
    if (this.finished) return;
    const address = server.address();
    const opened =
      unixPath !== undefined
        ? `Unix socket ${unixPath} opened for sessionId ${this.sessionId}.`
        : `Port ${typeof address === 'object' && address ? address.port : localPort} opened for sessionId ${this.sessionId}.`;
    // The official plugin prints these exact lines on stdout; scripts wait for them.
    this.status(port.mode === 'mux' ? `${opened}\nWaiting for connections...\n` : `${opened}\n`);
  }

  /** Ctrl-C (or SIGTERM, SIGHUP) in a port session: TerminateSession flag (or API for old agents), then exit. */
  private async endPortSession(
    port: PortForwardSession,
    outcome: RunOutcome,
    announce: boolean,
  ): Promise<void> {
    if (this.finished || this.closingText !== undefined) return;
    this.closingText = announce ? `\n\nExiting session with sessionId: ${this.sessionId}.\n\n` : '';
    if (announce && port.mode === 'basic') this.status('Terminate signal received, exiting.\n');
    const flagged = await port.sendTerminate(TERMINATE_TIMEOUT_MS);
    if (!flagged) await this.session?.terminate(TERMINATE_TIMEOUT_MS);
    this.finish(outcome, this.closingText);
  }

  // ---- signals ----

  private handleSignals(): void {
    const { process: proc } = this.deps;
    const on = (signal: PluginSignal, handler: () => void): void => {
      proc.on(signal, handler);
      this.cleanups.push(() => {
        proc.off(signal, handler);
      });
    };
    for (const signal of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) {
      on(signal, () => this.onUserSignal(signal));
    }
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      on(signal, () => this.onEndingSignal(signal));
    }
  }

  /**
   * Interactive shells run in raw mode, so these signals only come from outside (kill, or a
   * non-raw NonInteractive run): forward them as the control bytes the official client sends.
   * In a port session they end it, as Ctrl-C does in the official client.
   */
  private onUserSignal(signal: 'SIGINT' | 'SIGQUIT' | 'SIGTSTP'): void {
    const ready = this.ready;
    if (ready?.kind === 'shell') {
      const byte = signal === 'SIGINT' ? 0x03 : signal === 'SIGQUIT' ? 0x1c : 0x1a;
      ready.shell.write(Uint8Array.of(byte));
      return;
    }
    const outcome: RunOutcome = signal === 'SIGINT' ? { kind: 'signal', signal } : ended;
    if (ready) void this.endPortSession(ready.port, outcome, ready.port.mode !== 'stream');
    else void this.endBeforeReady(outcome);
  }

  /** SIGTERM and SIGHUP end the run with 128 + the signal, after ending the session. */
  private onEndingSignal(signal: 'SIGTERM' | 'SIGHUP'): void {
    const ready = this.ready;
    const outcome: RunOutcome = { kind: 'signal', signal };
    if (ready?.kind === 'port') {
      void this.endPortSession(ready.port, outcome, ready.port.mode !== 'stream');
    } else if (ready) {
      this.finish(outcome);
    } else {
      void this.endBeforeReady(outcome);
    }
  }

  private async endBeforeReady(outcome: RunOutcome): Promise<void> {
    await this.session?.terminate(TERMINATE_TIMEOUT_MS);
    this.finish(outcome);
  }
}

const localClosed: RunOutcome = { kind: 'local-closed' };
const ended: RunOutcome = { kind: 'ended' };

/**
 * stdin and stdout as one Duplex for stream mode. Unlike Duplex.from, ending it never ends
 * stdout, which still has to carry the closing message.
 */
function stdioDuplex(stdin: Readable, stdout: Writable): Duplex {
  const duplex = new Duplex({
    read() {
      stdin.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (stdout.write(chunk)) callback();
      else stdout.once('drain', () => callback());
    },
    final(callback) {
      callback();
    },
  });
  stdin.on('data', (chunk: Buffer | string) => {
    if (!duplex.push(chunk)) stdin.pause();
  });
  stdin.once('end', () => duplex.push(null));
  return duplex;
}

function parseLocalPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port <= 65535 ? port : undefined;
}

function listen(server: Server, where: string | { port: number; host: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => {
      server.off('error', reject);
      resolve();
    };
    if (typeof where === 'string') server.listen(where, done);
    else server.listen(where.port, where.host, done);
  });
}

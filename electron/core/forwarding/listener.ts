// The local TCP listener of a forward: binds the spec's address and port (the last automatic port
// first, so clients keep their settings), hands over accepted connections, and says in plain
// words why a bind failed.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';
import { ForwardError } from './errors';
import { formatHostPort, type ForwardSpec } from './spec';

export class ForwardListener {
  private server: Server | undefined;
  private boundPort: number | undefined;
  /** The automatic port last used, tried again on restart so clients keep their settings. */
  private lastAutomaticPort: number | undefined;
  /** The bind in progress (or done), settled either way. */
  private binding: Promise<void> = Promise.resolve();

  constructor(
    private readonly logger: Logger,
    /** Accepted connections arrive paused; the receiver owns them from here on. */
    private readonly onConnection: (socket: Socket) => void,
  ) {}

  /** The bound port while the listener is open. */
  get port(): number | undefined {
    return this.boundPort;
  }

  /** A new address or port in the spec: the automatic port used before no longer applies. */
  forgetAutomaticPort(): void {
    this.lastAutomaticPort = undefined;
  }

  /** Binds for `spec`; rejects with a ForwardError that says why the port cannot be used. */
  async open(spec: ForwardSpec): Promise<void> {
    const bound = this.bind(spec);
    this.binding = bound.catch(() => undefined);
    try {
      await bound;
    } catch (error) {
      throw describeListenError(error, spec);
    }
  }

  /** Settles once a bind in progress is over, so closing afterwards really frees the port. */
  whenBindSettled(): Promise<void> {
    return this.binding;
  }

  /** Stops accepting at once; resolves when the port is free. Call after `whenBindSettled`. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!server) return Promise.resolve();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async bind(spec: ForwardSpec): Promise<void> {
    const { bindAddress, localPort } = spec;
    const server = createServer({ pauseOnConnect: true }, (socket) => this.onConnection(socket));
    this.server = server;
    const preferred = localPort === 0 ? (this.lastAutomaticPort ?? 0) : localPort;
    try {
      await listenOn(server, bindAddress, preferred);
    } catch (error) {
      // The automatic port used last time is taken now: any free port will do.
      if (preferred === 0 || localPort !== 0 || errorCode(error) !== 'EADDRINUSE') {
        this.server = undefined;
        throw error;
      }
      await listenOn(server, bindAddress, 0).catch((retryError: unknown) => {
        this.server = undefined;
        throw retryError;
      });
    }
    server.on('error', (error) => {
      this.logger.log('warn', 'listener error', { error: toErrorMessage(error) });
    });
    const address = server.address() as AddressInfo;
    this.boundPort = address.port;
    if (localPort === 0) this.lastAutomaticPort = address.port;
    this.logger.log('info', 'listening', { address: formatHostPort(bindAddress, address.port) });
  }
}

/** Why binding `spec` failed, as a ForwardError with a message a user can act on. */
export function describeListenError(error: unknown, spec: ForwardSpec): ForwardError {
  const { bindAddress, localPort } = spec;
  const where =
    localPort === 0 ? `an automatic port on ${bindAddress}` : `port ${localPort} on ${bindAddress}`;
  switch (errorCode(error)) {
    case 'EADDRINUSE':
      return new ForwardError(
        'port-in-use',
        `Local port ${localPort} on ${bindAddress} is already in use`,
      );
    case 'EADDRNOTAVAIL': {
      const hint =
        bindAddress.startsWith('127.') && bindAddress !== '127.0.0.1'
          ? ` (on macOS add the alias first: sudo ifconfig lo0 alias ${bindAddress})`
          : '';
      return new ForwardError(
        'address-unavailable',
        `Address ${bindAddress} is not available on this computer${hint}`,
      );
    }
    case 'EACCES':
      return new ForwardError(
        'bind-permission-denied',
        `Permission denied listening on ${where}` +
          (localPort > 0 && localPort < 1024 ? ': ports below 1024 need administrator rights' : ''),
      );
    default:
      return new ForwardError('bind-failed', `Cannot listen on ${where}: ${toErrorMessage(error)}`);
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return typeof error.code === 'string' ? error.code : undefined;
  }
  return undefined;
}

function listenOn(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../base/logger';
import { ForwardError } from './errors';
import { ForwardListener, describeListenError } from './listener';
import { parseForwardSpec } from './spec';

const spec = (localPort: number, bindAddress = '127.0.0.1') =>
  parseForwardSpec({
    id: 'db',
    name: 'DB',
    region: 'eu-west-1',
    target: 'i-0123456789abcdef0',
    remote: { kind: 'instance-port', port: 5432 },
    bindAddress,
    localPort,
  });

function occupy(port = 0): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function listener(onConnection: (socket: Socket) => void = (socket) => socket.destroy()) {
  const created = new ForwardListener(silentLogger, onConnection);
  cleanups.push(() => created.close());
  return created;
}

describe('ForwardListener', () => {
  it('binds an automatic port and hands over accepted connections', async () => {
    let handOver: (socket: Socket) => void = () => undefined;
    const accepted = new Promise<Socket>((resolve) => (handOver = resolve));
    const forward = listener((socket) => handOver(socket));
    await forward.open(spec(0));
    const port = forward.port;
    expect(port).toBeGreaterThan(0);
    const client = connect(port ?? 0, '127.0.0.1');
    client.on('error', () => undefined);
    cleanups.push(() => {
      client.destroy();
    });
    const socket = await accepted;
    expect(socket.localPort).toBe(port);
    socket.destroy();
  });

  it('takes the automatic port of its last run again, or any free one when that is taken', async () => {
    const forward = listener();
    await forward.open(spec(0));
    const first = forward.port;
    await forward.close();
    expect(forward.port).toBeUndefined();

    await forward.open(spec(0));
    expect(forward.port).toBe(first);
    await forward.close();

    const squatter = await occupy(first);
    cleanups.push(() => close(squatter));
    await forward.open(spec(0));
    expect(forward.port).not.toBe(first);
    expect(forward.port).toBeGreaterThan(0);
  });

  it('forgets the last automatic port when asked to', async () => {
    const forward = listener();
    await forward.open(spec(0));
    const first = forward.port;
    await forward.close();
    const squatter = await occupy(first);
    cleanups.push(() => close(squatter));
    forward.forgetAutomaticPort();
    await forward.open(spec(0));
    expect(forward.port).not.toBe(first);
  });

  it('rejects a port in use with a port-in-use ForwardError and stays closed', async () => {
    const squatter = await occupy();
    cleanups.push(() => close(squatter));
    const forward = listener();
    const port = portOf(squatter);
    const failure = await forward.open(spec(port)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ForwardError);
    expect((failure as ForwardError).code).toBe('port-in-use');
    expect((failure as ForwardError).message).toBe(
      `Local port ${port} on 127.0.0.1 is already in use`,
    );
    expect(forward.port).toBeUndefined();
    await forward.whenBindSettled();
  });
});

describe('describeListenError', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it('suggests the loopback alias for an unavailable 127.0.0.x address', () => {
    const error = describeListenError(withCode('EADDRNOTAVAIL'), spec(8080, '127.0.0.2'));
    expect(error.code).toBe('address-unavailable');
    expect(error.message).toContain('sudo ifconfig lo0 alias 127.0.0.2');
  });

  it('names administrator rights only for ports below 1024', () => {
    expect(describeListenError(withCode('EACCES'), spec(80)).message).toBe(
      'Permission denied listening on port 80 on 127.0.0.1: ports below 1024 need administrator rights',
    );
    expect(describeListenError(withCode('EACCES'), spec(0)).message).toBe(
      'Permission denied listening on an automatic port on 127.0.0.1',
    );
  });

  it('keeps the cause of any other failure', () => {
    const error = describeListenError(new Error('boom'), spec(8080));
    expect(error.code).toBe('bind-failed');
    expect(error.message).toBe('Cannot listen on port 8080 on 127.0.0.1: boom');
  });
});

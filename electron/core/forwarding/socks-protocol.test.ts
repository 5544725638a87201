import { describe, expect, it } from 'vitest';
import {
  SocksReply,
  httpConnectReply,
  parseGreeting,
  parseHttpConnect,
  parseRequest,
  socksReply,
} from './socks-protocol';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

describe('SOCKS5 greeting', () => {
  it('waits for the whole method list, then reads it', () => {
    expect(parseGreeting(bytes(5))).toEqual({ kind: 'incomplete' });
    expect(parseGreeting(bytes(5, 2, 0))).toEqual({ kind: 'incomplete' });
    expect(parseGreeting(bytes(5, 2, 0, 2))).toEqual({
      kind: 'greeting',
      methods: [0, 2],
      length: 4,
    });
  });

  it('rejects another version and an empty method list', () => {
    expect(parseGreeting(bytes(4, 1, 0)).kind).toBe('invalid');
    expect(parseGreeting(bytes(5, 0)).kind).toBe('invalid');
  });
});

describe('SOCKS5 request', () => {
  it('reads CONNECT to an IPv4 address', () => {
    expect(parseRequest(bytes(5, 1, 0, 1, 10, 0, 0, 7, 0x1f, 0x90))).toEqual({
      kind: 'connect',
      destination: { host: '10.0.0.7', port: 8080 },
      length: 10,
    });
  });

  it('reads CONNECT to an IPv6 address in its compressed form', () => {
    const address = [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 1];
    expect(parseRequest(bytes(5, 1, 0, 4, ...address, 0, 80))).toEqual({
      kind: 'connect',
      destination: { host: '2001:db8::1', port: 80 },
      length: 22,
    });
  });

  it('keeps a domain name unresolved for the remote side', () => {
    const name = [...new TextEncoder().encode('db.internal')];
    const parsed = parseRequest(bytes(5, 1, 0, 3, name.length, ...name, 0x15, 0x38, 0xaa));
    expect(parsed).toEqual({
      kind: 'connect',
      destination: { host: 'db.internal', port: 5432 },
      length: 7 + name.length,
    });
  });

  it('waits for the rest of a split request', () => {
    expect(parseRequest(bytes(5, 1, 0, 3, 5, 0x61))).toEqual({ kind: 'incomplete' });
    expect(parseRequest(bytes(5, 1, 0, 1, 10, 0, 0))).toEqual({ kind: 'incomplete' });
  });

  it('refuses BIND and UDP ASSOCIATE with "command not supported"', () => {
    for (const command of [2, 3]) {
      expect(parseRequest(bytes(5, command, 0, 1, 127, 0, 0, 1, 0, 80))).toMatchObject({
        kind: 'refused',
        reply: SocksReply.commandNotSupported,
      });
    }
  });

  it('refuses an unknown address type, a bad name and port 0', () => {
    expect(parseRequest(bytes(5, 1, 0, 9, 0, 0))).toMatchObject({
      reply: SocksReply.addressTypeNotSupported,
    });
    expect(parseRequest(bytes(5, 1, 0, 3, 3, 0x61, 0x20, 0x62, 0, 80))).toMatchObject({
      reply: SocksReply.hostUnreachable,
    });
    expect(parseRequest(bytes(5, 1, 0, 1, 127, 0, 0, 1, 0, 0))).toMatchObject({
      reply: SocksReply.generalFailure,
    });
  });

  it('answers with the code and an empty bound address', () => {
    expect([...socksReply(SocksReply.connectionRefused)]).toEqual([5, 5, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});

describe('HTTP CONNECT', () => {
  const head = (text: string) => new TextEncoder().encode(text);

  it('reads host and port, bracketed IPv6 included, after the whole head', () => {
    expect(parseHttpConnect(head('CONNECT db.internal:5432 HTTP/1.1\r\nHost: x\r\n'))).toEqual({
      kind: 'incomplete',
    });
    expect(parseHttpConnect(head('CONNECT db.internal:5432 HTTP/1.1\r\n\r\nrest'))).toEqual({
      kind: 'connect',
      destination: { host: 'db.internal', port: 5432 },
      length: 37,
    });
    expect(parseHttpConnect(head('CONNECT [::1]:443 HTTP/1.0\r\n\r\n'))).toMatchObject({
      destination: { host: '::1', port: 443 },
    });
  });

  it('refuses other methods and malformed targets', () => {
    expect(parseHttpConnect(head('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({ status: 405 });
    expect(parseHttpConnect(head('CONNECT nohost HTTP/1.1\r\n\r\n'))).toMatchObject({
      status: 400,
    });
    expect(parseHttpConnect(head('CONNECT a:70000 HTTP/1.1\r\n\r\n'))).toMatchObject({
      status: 400,
    });
  });

  it('answers 200 for success and 502 for a refused connection', () => {
    const text = (code: Parameters<typeof httpConnectReply>[0]) =>
      new TextDecoder().decode(httpConnectReply(code));
    expect(text(SocksReply.succeeded)).toMatch(/^HTTP\/1\.1 200 /);
    expect(text(SocksReply.connectionRefused)).toMatch(/^HTTP\/1\.1 502 /);
  });
});

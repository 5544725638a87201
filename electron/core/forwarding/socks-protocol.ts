// The SOCKS5 (RFC 1928) and HTTP CONNECT handshakes a SOCKS forward speaks with local clients:
// pure parsers over the bytes received so far, and the replies. No sockets here.

import { isIP } from 'node:net';

export const SOCKS_VERSION = 5;
/** RFC 1928 §3: the only method offered back; 0xFF says none of the client's is acceptable. */
export const METHOD_NO_AUTH = 0x00;
export const METHOD_NONE_ACCEPTABLE = 0xff;

/** RFC 1928 §6 reply field. */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;
export type SocksReplyCode = (typeof SocksReply)[keyof typeof SocksReply];

const COMMAND_CONNECT = 0x01;
const ATYP_IPV4 = 0x01;
const ATYP_DOMAIN = 0x03;
const ATYP_IPV6 = 0x04;

/** Host names passed to the agent as they are: letters, digits, dots, hyphens, underscores. */
const DOMAIN_PATTERN = /^[A-Za-z0-9._-]{1,253}$/;

export interface Destination {
  /** An IP literal (IPv6 without brackets) or a host name the remote side resolves. */
  host: string;
  port: number;
}

export type GreetingParse =
  | { kind: 'incomplete' }
  | { kind: 'greeting'; methods: readonly number[]; length: number }
  | { kind: 'invalid'; message: string };

/** RFC 1928 §3: VER NMETHODS METHODS... */
export function parseGreeting(bytes: Uint8Array): GreetingParse {
  if (bytes.length < 2) return { kind: 'incomplete' };
  if (bytes[0] !== SOCKS_VERSION) {
    return { kind: 'invalid', message: `not SOCKS version 5 (version byte ${bytes[0]})` };
  }
  const count = bytes[1] ?? 0;
  if (count === 0) return { kind: 'invalid', message: 'the client offers no methods' };
  if (bytes.length < 2 + count) return { kind: 'incomplete' };
  return { kind: 'greeting', methods: [...bytes.subarray(2, 2 + count)], length: 2 + count };
}

export type RequestParse =
  | { kind: 'incomplete' }
  | { kind: 'connect'; destination: Destination; length: number }
  /** A request to answer with `reply` and close. */
  | { kind: 'refused'; reply: SocksReplyCode; message: string };

/** RFC 1928 §4: VER CMD RSV ATYP DST.ADDR DST.PORT. Only CONNECT is served. */
export function parseRequest(bytes: Uint8Array): RequestParse {
  if (bytes.length < 5) return { kind: 'incomplete' };
  if (bytes[0] !== SOCKS_VERSION) {
    return {
      kind: 'refused',
      reply: SocksReply.generalFailure,
      message: `request is not SOCKS version 5 (version byte ${bytes[0]})`,
    };
  }
  const command = bytes[1];
  const addressType = bytes[3];
  let addressLength: number;
  let addressStart = 4;
  switch (addressType) {
    case ATYP_IPV4:
      addressLength = 4;
      break;
    case ATYP_IPV6:
      addressLength = 16;
      break;
    case ATYP_DOMAIN:
      addressLength = bytes[4] ?? 0;
      addressStart = 5;
      break;
    default:
      return {
        kind: 'refused',
        reply: SocksReply.addressTypeNotSupported,
        message: `address type ${addressType} is not supported`,
      };
  }
  const length = addressStart + addressLength + 2;
  if (bytes.length < length) return { kind: 'incomplete' };
  if (command !== COMMAND_CONNECT) {
    // BIND (2) and UDP ASSOCIATE (3) have no equivalent over a port-forwarding session.
    return {
      kind: 'refused',
      reply: SocksReply.commandNotSupported,
      message: `command ${command} is not supported (only CONNECT)`,
    };
  }
  const address = bytes.subarray(addressStart, addressStart + addressLength);
  const port = ((bytes[length - 2] ?? 0) << 8) | (bytes[length - 1] ?? 0);
  let host: string;
  if (addressType === ATYP_IPV4) host = [...address].join('.');
  else if (addressType === ATYP_IPV6) host = formatIpv6(address);
  else {
    host = new TextDecoder('latin1').decode(address);
    if (!DOMAIN_PATTERN.test(host)) {
      return {
        kind: 'refused',
        reply: SocksReply.hostUnreachable,
        message: `"${host}" is not a valid host name`,
      };
    }
  }
  if (port === 0) {
    return { kind: 'refused', reply: SocksReply.generalFailure, message: 'port 0 is not valid' };
  }
  return { kind: 'connect', destination: { host, port }, length };
}

/** RFC 1928 §3: the method selection message. */
export function methodSelection(method: number): Uint8Array {
  return Uint8Array.of(SOCKS_VERSION, method);
}

/**
 * RFC 1928 §6 reply. The bound address is 0.0.0.0:0: the connection is made by the agent on the
 * instance, whose local address means nothing to the client.
 */
export function socksReply(code: SocksReplyCode): Uint8Array {
  return Uint8Array.of(SOCKS_VERSION, code, 0x00, ATYP_IPV4, 0, 0, 0, 0, 0, 0);
}

/** Compressed lowercase text of a 16-byte IPv6 address (RFC 5952 form, as URL parsing gives it). */
function formatIpv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) {
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  }
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

// ---- HTTP CONNECT ----

/** Request heads longer than this are refused rather than buffered. */
export const MAX_HTTP_HEAD_BYTES = 8192;

export type HttpConnectParse =
  | { kind: 'incomplete' }
  | { kind: 'connect'; destination: Destination; length: number }
  | { kind: 'refused'; status: number; reason: string };

/** `CONNECT host:port HTTP/1.x` followed by headers and an empty line. */
export function parseHttpConnect(bytes: Uint8Array): HttpConnectParse {
  const text = new TextDecoder('latin1').decode(bytes);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) {
    return bytes.length > MAX_HTTP_HEAD_BYTES
      ? { kind: 'refused', status: 431, reason: 'Request Header Fields Too Large' }
      : { kind: 'incomplete' };
  }
  const requestLine = text.slice(0, text.indexOf('\r\n'));
  const match = /^(\S+) (\S+) HTTP\/1\.[01]$/.exec(requestLine);
  if (!match) return { kind: 'refused', status: 400, reason: 'Bad Request' };
  if (match[1] !== 'CONNECT') {
    return { kind: 'refused', status: 405, reason: 'Method Not Allowed' };
  }
  const destination = parseAuthority(match[2] ?? '');
  if (!destination) return { kind: 'refused', status: 400, reason: 'Bad Request' };
  return { kind: 'connect', destination, length: end + 4 };
}

function parseAuthority(authority: string): Destination | undefined {
  const bracketed = /^\[([0-9A-Fa-f:.]+)\]:(\d{1,5})$/.exec(authority);
  const plain = /^([^:[\]]+):(\d{1,5})$/.exec(authority);
  const host = bracketed?.[1] ?? plain?.[1];
  const port = Number(bracketed?.[2] ?? plain?.[2]);
  if (host === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) return undefined;
  if (bracketed && isIP(host) !== 6) return undefined;
  if (!bracketed && isIP(host) === 0 && !DOMAIN_PATTERN.test(host)) return undefined;
  return { host, port };
}

/** The HTTP answer to a CONNECT for a SOCKS reply code. */
export function httpConnectReply(code: SocksReplyCode): Uint8Array {
  const [status, reason] = HTTP_STATUS[code];
  return new TextEncoder().encode(`HTTP/1.1 ${status} ${reason}\r\n\r\n`);
}

const HTTP_STATUS: Record<SocksReplyCode, readonly [number, string]> = {
  [SocksReply.succeeded]: [200, 'Connection established'],
  [SocksReply.generalFailure]: [502, 'Bad Gateway'],
  [SocksReply.notAllowed]: [403, 'Forbidden'],
  [SocksReply.networkUnreachable]: [502, 'Bad Gateway (network unreachable)'],
  [SocksReply.hostUnreachable]: [502, 'Bad Gateway (host unreachable)'],
  [SocksReply.connectionRefused]: [502, 'Bad Gateway (connection refused)'],
  [SocksReply.commandNotSupported]: [405, 'Method Not Allowed'],
  [SocksReply.addressTypeNotSupported]: [400, 'Bad Request'],
};

/** A plain HTTP error answer (refused request heads). */
export function httpErrorReply(status: number, reason: string): Uint8Array {
  return new TextEncoder().encode(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
}

// Messages of the browser-mode WebSocket bridge (JSON text frames; bytes encoded as in ./wire).
//
// browser -> main: {"t":"invoke","id":<int>,"channel":"sessions:start","payload":{...}}
// main -> browser: {"t":"result","id":<same int>,"result":{"ok":true,"value":{...}}}
//                  {"t":"event","channel":"sessions:output","payload":{"id":"…","data":{"$b64":"…"}}}
// One result per invoke, in any order; events for a session never precede its sessions:start result.
import { z } from 'zod';

/** URL path of the bridge WebSocket on the browser-mode server. */
export const BRIDGE_PATH = '/bridge';

/** Largest text frame either side accepts (a 64 KiB batch as base64 plus JSON framing). */
export const BRIDGE_MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const BridgeInvokeMessageSchema = z.object({
  t: z.literal('invoke'),
  id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown(),
});
export type BridgeInvokeMessage = z.output<typeof BridgeInvokeMessageSchema>;

export const BridgeResultMessageSchema = z.object({
  t: z.literal('result'),
  id: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  result: z.unknown(),
});

export const BridgeEventMessageSchema = z.object({
  t: z.literal('event'),
  channel: z.string().max(64),
  payload: z.unknown(),
});

export const BridgeServerMessageSchema = z.discriminatedUnion('t', [
  BridgeResultMessageSchema,
  BridgeEventMessageSchema,
]);
export type BridgeServerMessage = z.output<typeof BridgeServerMessageSchema>;

/** ws:// or wss:// URL of the bridge for a page served at `location` (same origin). */
export function bridgeUrlFor(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${BRIDGE_PATH}`;
}

/**
 * The bridge's WebSocket subprotocol. The page offers it together with
 * `${BRIDGE_SESSION_PROTOCOL_PREFIX}<session>`: the browser-mode session travels only in the
 * handshake of a socket the page itself opens, never as a cookie, because browsers send cookies to
 * every port of a host and would hand them to any other local server.
 */
export const BRIDGE_PROTOCOL = 'airlock-bridge';
export const BRIDGE_SESSION_PROTOCOL_PREFIX = 'airlock-session.';

/** Close code of a bridge whose session is unknown or expired: the page must sign in again. */
export const BRIDGE_SIGNED_OUT_CODE = 4401;

/** The subprotocols a page offers to open the bridge with its session. */
export function bridgeProtocolsFor(session: string): string[] {
  return [BRIDGE_PROTOCOL, `${BRIDGE_SESSION_PROTOCOL_PREFIX}${session}`];
}

/** The session among the offered subprotocols (a Sec-WebSocket-Protocol header), if any. */
export function sessionFromProtocols(header: string | undefined): string | undefined {
  for (const offered of (header ?? '').split(',')) {
    const protocol = offered.trim();
    if (protocol.startsWith(BRIDGE_SESSION_PROTOCOL_PREFIX)) {
      return protocol.slice(BRIDGE_SESSION_PROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}

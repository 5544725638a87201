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

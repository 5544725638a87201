// Building blocks of the contract: a channel is either an invoke (request -> Result<response>) or an event.
import type { z } from 'zod';

export interface InvokeChannelDef<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
> {
  readonly kind: 'invoke';
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}

export interface EventChannelDef<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
  readonly summary: string;
}

export type ChannelDef = InvokeChannelDef | EventChannelDef;

export function invokeChannel<Req extends z.ZodType, Res extends z.ZodType>(def: {
  request: Req;
  response: Res;
  summary: string;
}): InvokeChannelDef<Req, Res> {
  return Object.freeze({ kind: 'invoke', ...def });
}

export function eventChannel<P extends z.ZodType>(def: {
  payload: P;
  summary: string;
}): EventChannelDef<P> {
  return Object.freeze({ kind: 'event', ...def });
}

// Property-based tests of the smux decoder: any split of valid frames parses back the same, and
// arbitrary bytes only ever end in SmuxError with a bounded partial frame.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import {
  SMUX_HEADER_LENGTH,
  SMUX_UPD_BODY_LENGTH,
  SmuxCommand,
  SmuxError,
  SmuxFrameParser,
  SmuxSession,
  encodeSmuxFrame,
  type SmuxCommandValue,
  type SmuxFrame,
} from './smux';

const frameArbitrary: fc.Arbitrary<SmuxFrame> = fc.oneof(
  fc.record({
    cmd: fc.constantFrom<SmuxCommandValue>(SmuxCommand.Syn, SmuxCommand.Fin, SmuxCommand.Nop),
    streamId: fc.nat({ max: 0xffff_ffff }),
    data: fc.constant(new Uint8Array(0)),
  }),
  fc.record({
    cmd: fc.constant<SmuxCommandValue>(SmuxCommand.Psh),
    streamId: fc.nat({ max: 0xffff_ffff }),
    data: fc.uint8Array({ maxLength: 3000 }),
  }),
  fc.record({
    cmd: fc.constant<SmuxCommandValue>(SmuxCommand.Upd),
    streamId: fc.nat({ max: 0xffff_ffff }),
    data: fc.uint8Array({ minLength: SMUX_UPD_BODY_LENGTH, maxLength: SMUX_UPD_BODY_LENGTH }),
  }),
);

/** Cuts `bytes` at the given offsets (taken modulo its length) into consecutive pieces. */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
    (a, b) => a - b,
  );
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('SmuxFrameParser (property-based)', () => {
  it('parses any sequence of valid frames back unchanged, however the bytes are cut', () => {
    fc.assert(
      fc.property(
        fc.array(frameArbitrary, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (frames, cuts) => {
          const wire = concat(frames.map((f) => encodeSmuxFrame(f.cmd, f.streamId, f.data)));
          const parser = new SmuxFrameParser();
          const parsed: SmuxFrame[] = [];
          for (const piece of split(wire, cuts)) {
            parser.push(piece, (frame) => parsed.push({ ...frame, data: frame.data.slice() }));
          }
          expect(parsed).toEqual(frames);
          expect(parser.pendingBytes).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('meets arbitrary bytes with frames or a SmuxError, never anything else, holding at most one frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 2048 }), { maxLength: 12 }),
        fc.boolean(),
        (pieces, validVersionFirst) => {
          const parser = new SmuxFrameParser();
          if (validVersionFirst && pieces[0] && pieces[0].length > 0) pieces[0][0] = 1;
          let failure: unknown;
          for (const piece of pieces) {
            try {
              parser.push(piece, (frame) => {
                expect(frame.data.length).toBeLessThanOrEqual(0xffff);
              });
            } catch (error) {
              failure = error;
              break;
            }
            expect(parser.pendingBytes).toBeLessThanOrEqual(SMUX_HEADER_LENGTH + 0xffff);
          }
          if (failure !== undefined) {
            expect(failure).toBeInstanceOf(SmuxError);
            // A failed parser stays failed.
            expect(() => parser.push(Uint8Array.of(1), () => undefined)).toThrow(SmuxError);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lets a session survive any input: it closes on a protocol error and never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 1024 }), { maxLength: 16 }), (pieces) => {
        const session = new SmuxSession({
          role: 'server',
          clock: new FakeClock(),
          keepAlive: false,
          write: () => undefined,
        });
        try {
          for (const piece of pieces) session.feed(piece);
        } finally {
          session.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { eventIndexAt, parseCast, parseSize } from './cast';

const sample = [
  '{"version":2,"width":100,"height":30,"timestamp":1700000000,"title":"web-1"}',
  '[0,"o","$ "]',
  '[1.5,"r","120x40"]',
  '[1.75,"o","hello\\r\\n"]',
  '[1.8,"o","cut of',
  '',
].join('\n');

describe('parseCast', () => {
  it('reads the header and the events, skipping a damaged line', () => {
    const cast = parseCast(sample);
    expect(cast).toMatchObject({
      width: 100,
      height: 30,
      title: 'web-1',
      duration: 1.75,
      skipped: 1,
    });
    expect(cast.events.map((event) => event.code)).toEqual(['o', 'r', 'o']);
    expect(cast.events[2]?.data).toBe('hello\r\n');
  });

  it('refuses what is not asciicast v2', () => {
    expect(() => parseCast('hello')).toThrow(/not an asciicast/);
    expect(() => parseCast('{"version":1,"width":80,"height":24}')).toThrow(/version 2/);
    expect(() => parseCast('{"version":2}')).toThrow(/size/);
  });
});

describe('helpers', () => {
  it('parses resize data', () => {
    expect(parseSize('120x40')).toEqual({ cols: 120, rows: 40 });
    expect(parseSize('0x40')).toBeUndefined();
    expect(parseSize('wide')).toBeUndefined();
  });

  it('finds the events that have happened by a time', () => {
    const { events } = parseCast(sample);
    expect(eventIndexAt(events, -1)).toBe(0);
    expect(eventIndexAt(events, 0)).toBe(1);
    expect(eventIndexAt(events, 1.6)).toBe(2);
    expect(eventIndexAt(events, 99)).toBe(3);
  });
});

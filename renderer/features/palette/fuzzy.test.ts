import { describe, expect, it } from 'vitest';
import { fuzzyMatch, rankItems, type Searchable } from './fuzzy';

function item(id: string, label: string, detail = ''): Searchable {
  return { id, label, detail };
}

const labels = (ranked: readonly { item: Searchable }[]) => ranked.map((entry) => entry.item.label);

describe('fuzzyMatch', () => {
  it('matches a subsequence, case-insensitively, and reports where', () => {
    expect(fuzzyMatch('wb1', 'Web-1')?.positions).toEqual([0, 2, 4]);
    expect(fuzzyMatch('WEB', 'web-1')?.positions).toEqual([0, 1, 2]);
  });

  it('refuses a query whose letters are missing or out of order', () => {
    expect(fuzzyMatch('bew', 'web-1')).toBeUndefined();
    expect(fuzzyMatch('webx', 'web-1')).toBeUndefined();
  });

  it('scores a prefix above the same letters inside a word', () => {
    const prefix = fuzzyMatch('db', 'db-1');
    const inside = fuzzyMatch('db', 'sandbox');
    expect(prefix && inside && prefix.score > inside.score).toBe(true);
  });

  it('prefers word starts to the first occurrence of a letter', () => {
    // "lb" should land on "legacy-bastion"'s word starts, not the "l" and "b" inside words.
    expect(fuzzyMatch('lb', 'legacy-bastion')?.positions).toEqual([0, 7]);
    expect(fuzzyMatch('ew', 'eu-web-1')?.positions).toEqual([0, 3]);
  });

  it('scores an unbroken run above the same letters scattered', () => {
    const run = fuzzyMatch('work', 'eu-worker');
    const scattered = fuzzyMatch('work', 'web-of-rack');
    expect(run && scattered && run.score > scattered.score).toBe(true);
  });
});

describe('rankItems', () => {
  const fleet = [
    item('1', 'legacy-bastion', 'i-0a1b2c3d4e5f60003 10.0.0.5'),
    item('2', 'web-1', 'i-0a1b2c3d4e5f60001 10.0.1.11'),
    item('3', 'eu-web-1', 'i-0b1c2d3e4f5a60005'),
    item('4', 'db-1', 'i-0a1b2c3d4e5f60002 10.0.2.21'),
    item('5', 'Show the web terminals', 'command'),
  ];

  it('puts the item whose name starts with the query first', () => {
    expect(labels(rankItems(fleet, 'web')).slice(0, 2)).toEqual(['web-1', 'eu-web-1']);
  });

  it('leaves out items that do not match', () => {
    expect(labels(rankItems(fleet, 'db'))).toEqual(['db-1']);
  });

  it('matches the detail (an instance id or address) when the label does not', () => {
    expect(labels(rankItems(fleet, '60002'))).toEqual(['db-1']);
    expect(labels(rankItems(fleet, '10.0.1.11'))).toEqual(['web-1']);
  });

  it('needs every space-separated term to match', () => {
    expect(labels(rankItems(fleet, 'web eu'))).toEqual(['eu-web-1']);
    expect(rankItems(fleet, 'web nothing-like-this')).toEqual([]);
  });

  it('lists recently used items first, most recent first, when the query is empty', () => {
    const ranked = rankItems(fleet, '', ['4', '1']);
    expect(labels(ranked)).toEqual([
      'db-1',
      'legacy-bastion',
      'web-1',
      'eu-web-1',
      'Show the web terminals',
    ]);
  });

  it('lets a recent item win a near-tie but not beat a clearly better match', () => {
    // web-1 and eu-web-1 both contain "web"; the recent one comes first.
    expect(labels(rankItems(fleet, 'web', ['3'])).slice(0, 2)).toEqual(['eu-web-1', 'web-1']);
    // "db" is a prefix of db-1 only; a recent legacy-bastion (no match at all) stays out.
    expect(labels(rankItems(fleet, 'db', ['1']))).toEqual(['db-1']);
  });

  it('keeps the input order among equal scores and honours the limit', () => {
    const same = [item('a', 'alpha'), item('b', 'alpha'), item('c', 'alpha')];
    expect(rankItems(same, 'al').map((entry) => entry.item.id)).toEqual(['a', 'b', 'c']);
    expect(rankItems(same, 'al', [], 2)).toHaveLength(2);
  });

  it('reports the matched label positions for highlighting', () => {
    expect(rankItems(fleet, 'db')[0]?.labelPositions).toEqual([0, 1]);
  });
});

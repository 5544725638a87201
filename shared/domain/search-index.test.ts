import { describe, expect, it } from 'vitest';
import { compileQuery, parseQuery, type SearchRow } from './search';
import { narrows, RowSearch } from './search-index';

const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const ENVS = ['prod', 'staging', 'dev'];

const rows: SearchRow[] = Array.from({ length: 400 }, (_, i) => ({
  instanceId: `i-0${(i * 7919).toString(16).padStart(8, '0')}`,
  name: `${['web', 'db', 'Worker'][i % 3]}-${ENVS[i % 3]}-${i}`,
  computerName: `ip-10-${i % 5}-${i % 7}-${i}`,
  ipAddress: `10.${i % 5}.${i % 7}.${i}`,
  ...(i % 4 === 0 && { publicIp: `54.1.${i % 9}.${i}` }),
  platform: i % 10 === 0 ? 'Windows' : 'Linux',
  pingStatus: i % 6 === 0 ? 'ConnectionLost' : 'Online',
  profile: i % 2 === 0 ? 'work' : 'lab',
  region: REGIONS[i % REGIONS.length] ?? '',
  tags: [
    { key: 'Env', value: ENVS[(i + 1) % 3] ?? '' },
    { key: 'Team', value: i % 5 === 0 ? 'Payments' : 'search' },
  ],
}));

/** What each query must find: the plain filter over every row. */
const expected = (query: string) => rows.filter(compileQuery(query));

/** Every prefix of `text`, then back again, as a user types and erases. */
function keystrokes(text: string): string[] {
  const forward = Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1));
  return [...forward, ...forward.slice(0, -1).reverse()];
}

describe('RowSearch', () => {
  it.each([
    'web-prod',
    'tag:Env=prod',
    'tag:Team=payments status:online',
    'region:eu-west platform:linux',
    '10.1',
    'worker -tag:Env=dev',
    '-w',
    'tag:E',
    'profile:wor',
    'region:eu-*-1',
    'status:offline,online -10.2',
  ])('answers each keystroke of %s as a plain filter over every row would', (text) => {
    const search = new RowSearch(rows, (row) => row);
    for (const query of keystrokes(text)) {
      expect(search.search(query).matches, query).toEqual(expected(query));
    }
  });

  it('starts a plain tag term from the rows holding that tag, and still applies every term', () => {
    const tagged: SearchRow[] = [
      ...rows.slice(0, 3),
      // One tag listed twice, and a tag that differs only in case.
      {
        ...rows[3],
        tags: [
          { key: 'Env', value: 'Prod' },
          { key: 'env', value: 'prod' },
        ],
      },
    ] as SearchRow[];
    const search = new RowSearch(tagged, (row) => row);
    for (const query of ['tag:env=prod', 'tag:Env=PROD web', 'tag:Env=nothing', 'tag:Nope=prod']) {
      expect(search.search(query).matches, query).toEqual(tagged.filter(compileQuery(query)));
    }
  });

  it('answers the same across queries typed one after another and repeated', () => {
    const search = new RowSearch(rows, (row) => row);
    for (const query of [...keystrokes('web'), ...keystrokes('tag:Env=prod'), 'web', 'we', 'w']) {
      expect(search.search(query).matches, query).toEqual(expected(query));
    }
  });

  it('finds a text typed on where the shorter text occurs first, later in the row, or only in other rows', () => {
    // Texts that repeat within a row (`10.` in two addresses, `ab` three times) and rows far apart,
    // so both the one-pass search and the row-by-row search meet every case.
    const many: SearchRow[] = Array.from({ length: 3000 }, (_, i) => ({
      instanceId: `i-${(i * 2654435761).toString(16).slice(-8)}`,
      name: i % 97 === 0 ? `abxabyabz-${i}` : `node-${i}`,
      ipAddress: `10.${i % 256}.${(i * 7) % 256}.${i % 13}`,
      ...(i % 3 === 0 && { publicIp: `10.9.${i % 100}.1` }),
      computerName: `ip-10-${i % 256}.internal`,
      tags: [{ key: 'Env', value: ENVS[i % 3] ?? '' }],
    }));
    const search = new RowSearch(many, (row) => row);
    const typed = [
      '10.1',
      '10.9.1',
      'abz',
      'aby',
      'ab-',
      'i-0a',
      'node-29',
      '-10.2',
      'tag:env=dev 10.1',
    ];
    for (const text of typed) {
      for (const query of keystrokes(text)) {
        expect(search.search(query).matches, query).toEqual(many.filter(compileQuery(query)));
      }
    }
  });

  it("keeps rows apart when lowering changes a text's length (İ becomes two characters)", () => {
    const turkish: SearchRow[] = [
      { instanceId: 'i-01', name: 'İSTANBUL-web' },
      { instanceId: 'i-02', name: 'ankara-db' },
      { instanceId: 'i-03', name: 'İZMİR-web' },
    ];
    const search = new RowSearch(turkish, (row) => row);
    for (const query of ['web', 'i-02', 'db', 'web i-03', 'bul-w']) {
      expect(search.search(query).matches, query).toEqual(turkish.filter(compileQuery(query)));
    }
  });

  it('returns the rows themselves for a query without terms, problems included', () => {
    const search = new RowSearch(rows, (row) => row);
    const result = search.search('status:sleepy');
    expect(result.matches).toBe(rows);
    expect(result.query.problems).toHaveLength(1);
  });
});

describe('narrows', () => {
  const n = (earlier: string, next: string) => narrows(parseQuery(earlier), parseQuery(next));

  it('holds when the next query can only match fewer rows', () => {
    expect(n('web', 'web-')).toBe(true);
    expect(n('web', 'web prod')).toBe(true);
    expect(n('-web-prod', '-web')).toBe(true);
    expect(n('region:eu', 'region:eu-west')).toBe(true);
    expect(n('tag:Env=prod', 'tag:Env=prod x')).toBe(true);
    expect(n('', 'anything')).toBe(true);
  });

  it('does not hold where typing on can match other rows', () => {
    expect(n('-w', '-we')).toBe(false);
    expect(n('tag:E', 'tag:En')).toBe(false);
    expect(n('profile:a', 'profile:ab')).toBe(false);
    expect(n('web-', 'web')).toBe(false);
    expect(n('region:eu*', 'region:eu*1')).toBe(false);
    expect(n('web', '')).toBe(false);
  });
});

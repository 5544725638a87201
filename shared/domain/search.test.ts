import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  filterRows,
  globMatch,
  parseQuery,
  prepareRow,
  tokenize,
  type SearchRow,
} from './search';

function row(partial: Partial<SearchRow> & { instanceId: string }): SearchRow {
  return {
    name: '',
    computerName: '',
    ipAddress: '',
    platform: 'Linux',
    pingStatus: 'Online',
    profile: 'work',
    region: 'eu-west-1',
    tags: [],
    ...partial,
  };
}

const rows: SearchRow[] = [
  row({
    instanceId: 'i-0aaa1111',
    name: 'web-1',
    computerName: 'ip-10-0-1-5.ec2.internal',
    ipAddress: '10.0.1.5',
    privateIp: '10.0.1.5',
    publicIp: '54.1.2.3',
    tags: [
      { key: 'Name', value: 'web-1' },
      { key: 'Env', value: 'prod' },
      { key: 'Cost Center', value: 'Team A' },
    ],
  }),
  row({
    instanceId: 'i-0bbb2222',
    name: 'Web Server 2',
    ipAddress: '10.0.2.7',
    pingStatus: 'ConnectionLost',
    region: 'eu-central-1',
    tags: [
      { key: 'Env', value: 'staging' },
      { key: 'aws:cloudformation:stack-name', value: 'app' },
    ],
  }),
  row({
    instanceId: 'mi-0ccc33334444',
    name: 'build-mac',
    computerName: 'Builders-Mac.local',
    platform: 'MacOS',
    pingStatus: 'Inactive',
    profile: 'lab',
    region: 'us-east-1',
  }),
  row({
    instanceId: 'i-0ddd4444',
    name: 'dc01',
    computerName: 'DC01',
    platform: 'Windows',
    ipAddress: '172.16.0.10',
    profile: 'prod-admin',
    region: 'us-west-2',
    tags: [{ key: 'Env', value: '' }],
  }),
];

const ids = (query: string) => rows.filter(compileQuery(query)).map((r) => r.instanceId);

describe('tokenize', () => {
  it('splits on whitespace and keeps quoted spaces', () => {
    expect(tokenize('  a  "b c"\td ').map((t) => t.text)).toEqual(['a', 'b c', 'd']);
    expect(tokenize('tag:Name="web server"')[0]).toMatchObject({
      prefix: 'tag',
      rest: 'Name=web server',
      restEq: 4,
    });
    expect(tokenize('"a:b"')[0]?.prefix).toBeUndefined();
    expect(tokenize("o'brien")[0]?.text).toBe("o'brien");
    expect(tokenize('"unclosed quote')[0]?.text).toBe('unclosed quote');
    expect(tokenize('-status:online')[0]).toMatchObject({
      negate: true,
      prefix: 'status',
      rest: 'online',
    });
    expect(tokenize('-')[0]).toMatchObject({ negate: false, text: '-' });
  });
});

describe('parseQuery', () => {
  it('recognises every prefix, case-insensitively', () => {
    const { terms, problems } = parseQuery(
      'Web TAG:Env=Prod tag:Owner platform:Linux,macos STATUS:offline profile:Work region:EU',
    );
    expect(problems).toEqual([]);
    expect(terms).toEqual([
      { kind: 'text', negate: false, text: 'web' },
      { kind: 'tag', negate: false, key: 'env', value: 'prod' },
      { kind: 'tag', negate: false, key: 'owner' },
      { kind: 'platform', negate: false, values: ['linux', 'macos'] },
      { kind: 'status', negate: false, values: ['offline'] },
      { kind: 'profile', negate: false, pattern: 'work' },
      { kind: 'region', negate: false, pattern: 'eu' },
    ]);
  });

  it('treats unknown prefixes as free text', () => {
    expect(parseQuery('foo:bar fe80::1 http://x').terms.map((t) => t.kind)).toEqual([
      'text',
      'text',
      'text',
    ]);
    expect(parseQuery('foo:bar').terms[0]).toEqual({
      kind: 'text',
      negate: false,
      text: 'foo:bar',
    });
  });

  it('hints when a word looks like a qualifier but is none, and not for addresses or URLs', () => {
    const parsed = parseQuery('os:linux name:web fe80::1 http://x 10.0.0.1:22 -state:online');
    expect(parsed.terms.map((t) => t.kind)).toEqual([
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
    ]);
    expect(parsed.problems).toEqual([
      '"os:linux": there is no os: filter; did you mean platform:linux? Searching for the text instead.',
      '"name:web": there is no name: filter (the filters are tag:, platform:, status:, region:, profile:); searching for the text instead.',
      '"-state:online": there is no state: filter; did you mean status:online? Searching for the text instead.',
    ]);
  });

  it('reports values it does not understand and ignores half-typed prefixes', () => {
    const parsed = parseQuery('status:sleepy platform:beos tag:=x region: profile: tag: ""');
    expect(parsed.terms).toEqual([]);
    expect(parsed.problems).toHaveLength(3);
    expect(parsed.problems[0]).toContain('use online or offline');
    expect(parsed.problems[1]).toContain('use linux, windows or macos');
    expect(parsed.problems[2]).toContain('tag:Key=Value');
  });
});

describe('globMatch', () => {
  it.each([
    ['prod', 'prod', true],
    ['prod', 'production', false],
    ['prod*', 'production', true],
    ['*prod', 'preprod', true],
    ['p*d', 'prod', true],
    ['p*d', 'pod', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXcYb', false],
    ['ab*ba', 'aba', false],
    ['*', '', true],
    ['**', 'x', true],
  ])('%s vs %s', (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });
});

describe('matching', () => {
  it('matches free text against name, id, IPs and computer name only', () => {
    expect(ids('WEB')).toEqual(['i-0aaa1111', 'i-0bbb2222']);
    expect(ids('0bbb')).toEqual(['i-0bbb2222']);
    expect(ids('54.1.2')).toEqual(['i-0aaa1111']);
    expect(ids('10.0.')).toEqual(['i-0aaa1111', 'i-0bbb2222']);
    expect(ids('builders-mac')).toEqual(['mi-0ccc33334444']);
    // Tag values, profile and region are not free text.
    expect(ids('staging')).toEqual([]);
    expect(ids('prod-admin')).toEqual([]);
  });

  it('does not match across field boundaries', () => {
    // name "dc01" + id "i-0ddd4444" must not form "01i-".
    expect(ids('01i-')).toEqual([]);
  });

  it('matches quoted phrases', () => {
    expect(ids('"server 2"')).toEqual(['i-0bbb2222']);
    expect(ids('server 2')).toEqual(['i-0bbb2222']);
    expect(ids('"web 1"')).toEqual([]);
  });

  it('matches tags by key and value, existence, wildcards and quotes', () => {
    expect(ids('tag:Env=prod')).toEqual(['i-0aaa1111']);
    expect(ids('tag:env=PROD')).toEqual(['i-0aaa1111']);
    expect(ids('tag:Env')).toEqual(['i-0aaa1111', 'i-0bbb2222', 'i-0ddd4444']);
    expect(ids('tag:Env=')).toEqual(['i-0ddd4444']);
    expect(ids('tag:Env=sta*')).toEqual(['i-0bbb2222']);
    expect(ids('tag:"Cost Center"="Team A"')).toEqual(['i-0aaa1111']);
    expect(ids('tag:aws:cloudformation:stack-name=app')).toEqual(['i-0bbb2222']);
    expect(ids('tag:aws:*')).toEqual(['i-0bbb2222']);
    expect(ids('tag:Owner')).toEqual([]);
  });

  it('matches platform and status', () => {
    expect(ids('platform:windows')).toEqual(['i-0ddd4444']);
    expect(ids('platform:mac')).toEqual(['mi-0ccc33334444']);
    expect(ids('platform:linux,windows')).toEqual(['i-0aaa1111', 'i-0bbb2222', 'i-0ddd4444']);
    expect(ids('status:online')).toEqual(['i-0aaa1111', 'i-0ddd4444']);
    expect(ids('status:offline')).toEqual(['i-0bbb2222', 'mi-0ccc33334444']);
    expect(ids('status:connection-lost')).toEqual(['i-0bbb2222']);
    expect(ids('status:inactive')).toEqual(['mi-0ccc33334444']);
  });

  it('matches profile exactly (or by wildcard) and region by prefix', () => {
    expect(ids('profile:work')).toEqual(['i-0aaa1111', 'i-0bbb2222']);
    expect(ids('profile:prod')).toEqual([]);
    expect(ids('profile:prod*')).toEqual(['i-0ddd4444']);
    expect(ids('region:eu')).toEqual(['i-0aaa1111', 'i-0bbb2222']);
    expect(ids('region:eu-west-1')).toEqual(['i-0aaa1111']);
    expect(ids('region:*-1')).toEqual(['i-0aaa1111', 'i-0bbb2222', 'mi-0ccc33334444']);
  });

  it('ANDs terms and supports exclusion', () => {
    expect(ids('web status:online')).toEqual(['i-0aaa1111']);
    expect(ids('tag:Env region:eu -tag:Env=prod')).toEqual(['i-0bbb2222']);
    expect(ids('-platform:linux')).toEqual(['mi-0ccc33334444', 'i-0ddd4444']);
    expect(ids('-web')).toEqual(['mi-0ccc33334444', 'i-0ddd4444']);
  });

  it('matches everything for an empty query and ignores problems', () => {
    expect(ids('')).toHaveLength(4);
    expect(ids('   ')).toHaveLength(4);
    expect(compileQuery('').matchesAll).toBe(true);
    expect(compileQuery('status:sleepy').query.problems).toHaveLength(1);
    expect(ids('status:sleepy web')).toEqual(['i-0aaa1111', 'i-0bbb2222']);
  });

  it('tolerates rows with missing optional fields', () => {
    const bare: SearchRow = { instanceId: 'i-0eee5555' };
    expect(compileQuery('i-0eee')(bare)).toBe(true);
    expect(compileQuery('tag:x platform:linux')(bare)).toBe(false);
    expect(compileQuery('status:offline')(bare)).toBe(true);
  });

  it('accepts a parsed query too', () => {
    const parsed = parseQuery('web');
    expect(rows.filter(compileQuery(parsed))).toHaveLength(2);
  });
});

describe('filterRows and preparation', () => {
  it('returns the same array for an empty query and a filtered copy otherwise', () => {
    expect(filterRows(rows, '')).toBe(rows);
    expect(filterRows(rows, 'dc01').map((r) => r.instanceId)).toEqual(['i-0ddd4444']);
  });

  it('prepares each row once and reuses it across keystrokes', () => {
    const big = Array.from({ length: 10_000 }, (_, i) =>
      row({
        instanceId: `i-${i.toString(16).padStart(8, '0')}`,
        name: `host-${i}`,
        tags: [{ key: 'N', value: String(i % 7) }],
      }),
    );
    const first = prepareRow(big[0]!);
    for (const query of ['h', 'ho', 'hos', 'host-9', 'host-99 tag:N=1']) filterRows(big, query);
    expect(prepareRow(big[0]!)).toBe(first);
    expect(filterRows(big, 'host-999').length).toBe(11);
    expect(filterRows(big, 'host-99 tag:N=1').map((r) => r.name)).toEqual(
      big
        .filter((r) => r.name?.includes('host-99') && r.tags?.[0]?.value === '1')
        .map((r) => r.name),
    );
  });
});

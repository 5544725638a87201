// Unit tests for the inventory search grammar: tokenizing, parsing, matching and speed on 10,000 rows.
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain/ids';
import { makeFleet, makeInstance } from '../../testing/instances';
import { globMatches, parseQuery, searchInstances, tokenize } from './search';

const web = makeInstance({
  instanceId: 'i-0aaaaaaaaaaaaaaa1' as InstanceId,
  name: 'web-frontend',
  computerName: 'ip-10-0-1-5.internal',
  ipAddress: '10.0.1.5',
  publicIpAddress: '203.0.113.9',
  platform: 'Linux',
  tags: [
    { key: 'env', value: 'prod' },
    { key: 'Team', value: 'Payments Core' },
  ],
});
const db = makeInstance({
  instanceId: 'i-0bbbbbbbbbbbbbbb2' as InstanceId,
  name: 'db-primary',
  computerName: 'db01',
  ipAddress: '10.0.2.7',
  platform: 'Linux',
  pingStatus: 'ConnectionLost',
  region: 'us-east-1' as Region,
  tags: [{ key: 'env', value: 'staging' }],
});
const win = makeInstance({
  instanceId: 'mi-0ccccccccccccccc3' as InstanceId,
  name: 'build-agent',
  computerName: 'WIN-BUILD',
  ipAddress: '192.168.1.20',
  platform: 'Windows',
  pingStatus: 'Inactive',
  sourceId: 'aws:work' as SourceId,
  sourceLabel: 'AWS profile work',
  tags: [
    { key: 'env', value: 'prod' },
    { key: 'backup', value: '' },
  ],
});
const mac = makeInstance({
  instanceId: 'i-0ddddddddddddddd4' as InstanceId,
  name: 'mac-runner',
  computerName: 'Mac-Runner.local',
  ipAddress: '10.0.3.3',
  platform: 'MacOS',
  region: 'ap-southeast-2' as Region,
  tags: [],
});
const all = [web, db, win, mac];

function names(query: string): string[] {
  return searchInstances(all, query).matches.map((instance) => instance.name);
}

describe('tokenize', () => {
  it('splits on any whitespace and drops empty tokens', () => {
    expect(tokenize('  a \t b\nc  ')).toEqual(['a', 'b', 'c']);
  });

  it('keeps quoted spaces inside one token, wherever the quotes are', () => {
    expect(tokenize('tag:Team="Payments Core" "db 1"')).toEqual(['tag:Team=Payments Core', 'db 1']);
  });

  it('runs an unclosed quote to the end of the input', () => {
    expect(tokenize('web "a b')).toEqual(['web', 'a b']);
  });

  it('returns nothing for an empty or blank query', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   ')).toEqual([]);
    expect(tokenize('""')).toEqual([]);
  });
});

describe('parseQuery', () => {
  it('parses each qualifier into a typed term', () => {
    expect(
      parseQuery('web tag:env=prod platform:linux status:online region:eu profile:work').terms,
    ).toEqual([
      { kind: 'text', negate: false, value: 'web' },
      { kind: 'tag', negate: false, key: 'env', value: 'prod' },
      { kind: 'platform', negate: false, values: ['Linux'] },
      { kind: 'status', negate: false, values: ['online'] },
      { kind: 'region', negate: false, value: 'eu' },
      { kind: 'profile', negate: false, value: 'work' },
    ]);
  });

  it('treats qualifiers case-insensitively and accepts alternatives with , or |', () => {
    expect(parseQuery('PLATFORM:Linux|WINDOWS Status:offline,inactive').terms).toEqual([
      { kind: 'platform', negate: false, values: ['Linux', 'Windows'] },
      { kind: 'status', negate: false, values: ['offline', 'inactive'] },
    ]);
  });

  it('reads tag:Key without = as "has this key", and keeps an empty value after =', () => {
    expect(parseQuery('tag:backup tag:owner=').terms).toEqual([
      { kind: 'tag', negate: false, key: 'backup' },
      { kind: 'tag', negate: false, key: 'owner', value: '' },
    ]);
  });

  it('splits a tag value at the first = only', () => {
    expect(parseQuery('tag:expr=a=b').terms).toEqual([
      { kind: 'tag', negate: false, key: 'expr', value: 'a=b' },
    ]);
  });

  it('marks a leading - as negation, but a lone - is plain text', () => {
    expect(parseQuery('-tag:env=prod - -web').terms).toEqual([
      { kind: 'tag', negate: true, key: 'env', value: 'prod' },
      { kind: 'text', negate: false, value: '-' },
      { kind: 'text', negate: true, value: 'web' },
    ]);
  });

  it('keeps unknown qualifiers and colons as plain text (IPv6, URLs)', () => {
    expect(parseQuery('fe80::1 owner:bob').terms).toEqual([
      { kind: 'text', negate: false, value: 'fe80::1' },
      { kind: 'text', negate: false, value: 'owner:bob' },
    ]);
  });

  it('reports invalid terms as problems and does not apply them', () => {
    const parsed = parseQuery('platform:solaris status:sleepy tag: tag:=x region: profile: web');
    expect(parsed.terms).toEqual([{ kind: 'text', negate: false, value: 'web' }]);
    expect(parsed.problems).toHaveLength(6);
    expect(parsed.problems[0]).toContain('unknown platform "solaris"');
    expect(parsed.problems[1]).toContain('unknown status "sleepy"');
    expect(parsed.problems[2]).toContain('tag:Key=Value');
  });

  it('reports an empty platform or status list', () => {
    expect(parseQuery('platform: status:,').problems).toHaveLength(2);
  });
});

describe('globMatches', () => {
  it('matches whole strings case-insensitively without wildcards', () => {
    expect(globMatches('Prod', 'prod')).toBe(true);
    expect(globMatches('prod', 'production')).toBe(false);
  });

  it('lets * stand for any run, including none', () => {
    expect(globMatches('web-*', 'web-1')).toBe(true);
    expect(globMatches('web-*', 'web-')).toBe(true);
    expect(globMatches('*-1', 'web-1')).toBe(true);
    expect(globMatches('w*b*1', 'web-1')).toBe(true);
    expect(globMatches('*', '')).toBe(true);
    expect(globMatches('a*a', 'a')).toBe(false);
    expect(globMatches('w*x*1', 'web-1')).toBe(false);
    expect(globMatches('ab*cd*ef', 'abcdef')).toBe(true);
    expect(globMatches('ab*cd*ef', 'abcef')).toBe(false);
  });
});

describe('searchInstances', () => {
  it('returns everything, in order, for an empty query', () => {
    expect(names('')).toEqual(['web-frontend', 'db-primary', 'build-agent', 'mac-runner']);
  });

  it('matches free text against name, id, IPs and computer name, ignoring case', () => {
    expect(names('FRONTEND')).toEqual(['web-frontend']);
    expect(names('i-0bbbb')).toEqual(['db-primary']);
    expect(names('mi-0c')).toEqual(['build-agent']);
    expect(names('10.0.2.7')).toEqual(['db-primary']);
    expect(names('203.0.113')).toEqual(['web-frontend']);
    expect(names('win-build')).toEqual(['build-agent']);
  });

  it('does not match free text across two fields', () => {
    // name "web-frontend" followed by id "i-0aaa…" must not produce "frontendi-0".
    expect(names('frontendi-0')).toEqual([]);
  });

  it('does not search tag values with free text', () => {
    expect(names('payments')).toEqual([]);
  });

  it('filters by tag key and value, case-insensitively, with quotes and wildcards', () => {
    expect(names('tag:env=prod')).toEqual(['web-frontend', 'build-agent']);
    expect(names('tag:ENV=PROD')).toEqual(['web-frontend', 'build-agent']);
    expect(names('tag:team="payments core"')).toEqual(['web-frontend']);
    expect(names('tag:env=stag*')).toEqual(['db-primary']);
    expect(names('tag:backup')).toEqual(['build-agent']);
    expect(names('tag:backup=')).toEqual(['build-agent']);
    expect(names('tag:env=pro')).toEqual([]);
  });

  it('filters by platform and by ping status', () => {
    expect(names('platform:linux')).toEqual(['web-frontend', 'db-primary']);
    expect(names('platform:windows,macos')).toEqual(['build-agent', 'mac-runner']);
    expect(names('status:online')).toEqual(['web-frontend', 'mac-runner']);
    expect(names('status:offline')).toEqual(['db-primary', 'build-agent']);
    expect(names('status:connectionlost')).toEqual(['db-primary']);
    expect(names('status:inactive')).toEqual(['build-agent']);
    expect(names('status:unknown')).toEqual([]);
  });

  it('filters by region prefix or pattern, and by profile label or id', () => {
    expect(names('region:us-east-1')).toEqual(['db-primary']);
    expect(names('region:eu')).toEqual(['web-frontend', 'build-agent']);
    expect(names('region:*-2')).toEqual(['mac-runner']);
    expect(names('profile:work')).toEqual(['build-agent']);
    expect(names('source:sandbox')).toEqual(['web-frontend', 'db-primary', 'mac-runner']);
  });

  it('combines terms with AND and honours negation', () => {
    expect(names('tag:env=prod status:online')).toEqual(['web-frontend']);
    expect(names('platform:linux -status:online')).toEqual(['db-primary']);
    expect(names('-tag:env=prod')).toEqual(['db-primary', 'mac-runner']);
    expect(names('10.0 -db')).toEqual(['web-frontend', 'mac-runner']);
  });

  it('ignores invalid terms but reports them', () => {
    const result = searchInstances(all, 'platform:beos web');
    expect(result.matches.map((instance) => instance.name)).toEqual(['web-frontend']);
    expect(result.problems).toHaveLength(1);
  });

  it('filters a 10,000-instance fleet by several terms at once', () => {
    const fleet = makeFleet(10_000);
    const result = searchInstances(fleet, 'node-99 tag:env=prod status:online platform:linux');
    expect(result.matches.length).toBeGreaterThan(0);
    for (const instance of result.matches) {
      expect(instance.name).toContain('node-99');
      expect(instance.platform).toBe('Linux');
      expect(instance.pingStatus).toBe('Online');
      expect(instance.tags).toContainEqual({ key: 'env', value: 'prod' });
    }
    const expected = fleet.filter(
      (i) =>
        i.name.includes('node-99') &&
        i.platform === 'Linux' &&
        i.pingStatus === 'Online' &&
        i.tags.some((t) => t.key === 'env' && t.value === 'prod'),
    );
    expect(result.matches).toEqual(expected);
  });
});

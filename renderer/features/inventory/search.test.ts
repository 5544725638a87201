// Unit tests for inventory search over IPC instances (the grammar itself is tested in shared/domain).
import { describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain/ids';
import { makeFleet, makeInstance } from '../../testing/instances';
import {
  isInstanceSearchReady,
  PREPARE_SLICE_ROWS,
  prepareInstanceSearch,
  searchInstances,
} from './search';

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
  profile: 'work',
  sourceLabel: 'work',
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
    expect(searchInstances(all, 'status:unknown').problems).not.toEqual([]);
  });

  it('matches profile: against the profile main names, even one with an @ in it', () => {
    const chained = makeInstance({
      instanceId: 'i-0eeeeeeeeeeeeeee5' as InstanceId,
      name: 'chained',
      sourceId: 'aws:prod@eu' as SourceId,
      profile: 'prod@eu',
      sourceLabel: 'prod@eu',
    });
    const list = [...all, chained];
    const named = (query: string) =>
      searchInstances(list, query).matches.map((instance) => instance.name);
    expect(named('profile:prod@eu')).toEqual(['chained']);
    expect(named('profile:prod')).toEqual([]);
    expect(named('profile:PROD*')).toEqual(['chained']);
  });

  it('filters by region prefix or pattern, and by profile name', () => {
    expect(names('region:us-east-1')).toEqual(['db-primary']);
    expect(names('region:eu')).toEqual(['web-frontend', 'build-agent']);
    expect(names('region:*-2')).toEqual(['mac-runner']);
    expect(names('profile:work')).toEqual(['build-agent']);
    expect(names('profile:sandbox')).toEqual(['web-frontend', 'db-primary', 'mac-runner']);
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

describe('prepareInstanceSearch', () => {
  /** Runs scheduled slices by hand, one per call. */
  function manualSchedule() {
    const queue: (() => void)[] = [];
    return {
      schedule: (next: () => void) => queue.push(next),
      runOne: () => queue.shift()?.(),
      pending: () => queue.length,
    };
  }

  it('prepares a large list a slice per task, then answers as a search built at once would', () => {
    const fleet = makeFleet(PREPARE_SLICE_ROWS * 2 + 10);
    const tasks = manualSchedule();
    prepareInstanceSearch(fleet, () => true, tasks.schedule);
    let slices = 0;
    while (tasks.pending() > 0) {
      expect(isInstanceSearchReady(fleet)).toBe(false);
      tasks.runOne();
      slices++;
    }
    expect(slices).toBe(3);
    expect(isInstanceSearchReady(fleet)).toBe(true);
    const built = [...fleet];
    for (const query of ['web', 'tag:env=prod', '-10.0', 'status:online 1']) {
      expect(searchInstances(fleet, query).matches).toEqual(searchInstances(built, query).matches);
    }
  });

  it('stops when the list is no longer shown, and a keystroke first finishes it at once', () => {
    const gone = makeFleet(PREPARE_SLICE_ROWS + 1);
    const tasks = manualSchedule();
    let shown = true;
    prepareInstanceSearch(gone, () => shown, tasks.schedule);
    tasks.runOne();
    shown = false;
    tasks.runOne();
    expect(tasks.pending()).toBe(0);
    expect(isInstanceSearchReady(gone)).toBe(false);

    const typed = makeFleet(PREPARE_SLICE_ROWS + 1);
    prepareInstanceSearch(typed, () => true, tasks.schedule);
    tasks.runOne();
    const first = typed[0]!;
    expect(searchInstances(typed, first.instanceId).matches).toEqual([first]);
    expect(isInstanceSearchReady(typed)).toBe(true);
    // The slice still scheduled finds the work done.
    tasks.runOne();
    expect(tasks.pending()).toBe(0);
  });
});

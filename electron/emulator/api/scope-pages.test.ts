import { describe, expect, it } from 'vitest';
import { Fleet, generateFleet, type FleetInstance } from '../fleet';
import { cachedMatches, matchPositions, scopePage, type ScopeMatches } from './scope-pages';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

function smallFleet(count: number): Fleet {
  return new Fleet(generateFleet(count, 7, { regions: [REGION], now: Date.UTC(2025, 0, 1) }));
}

/** Every page from the start, following resumeAt as a client follows NextToken. */
function allPages(
  scope: readonly FleetInstance[],
  matches: ScopeMatches | undefined,
  pageSize: number,
): FleetInstance[][] {
  const pages: FleetInstance[][] = [];
  let from: number | undefined = 0;
  while (from !== undefined) {
    const page = scopePage(scope, matches, from, pageSize);
    pages.push(page.items);
    from = page.resumeAt;
  }
  return pages;
}

describe('scope pages', () => {
  const fleet = smallFleet(103);
  const scope = fleet.list(ACCOUNT, REGION);

  it('pages an unfiltered scope completely, in order, each page but the last full', () => {
    const pages = allPages(scope, undefined, 10);
    expect(pages).toHaveLength(11);
    expect(pages.slice(0, -1).every((page) => page.length === 10)).toBe(true);
    expect(pages.at(-1)).toHaveLength(3);
    expect(pages.flat().map((i) => i.instanceId)).toEqual(scope.map((i) => i.instanceId));
  });

  it('pages only the matches of a filter, complete and disjoint, with no empty last page', () => {
    const online = (i: FleetInstance) => i.platform === 'Linux' && i.resourceType === 'EC2Instance';
    const expected = scope.filter(online).map((i) => i.instanceId);
    expect(expected.length).toBeGreaterThan(20);
    const matches = matchPositions(scope, online);
    for (const pageSize of [5, 7, expected.length, expected.length + 1]) {
      const pages = allPages(scope, matches, pageSize);
      const ids = pages.flat().map((i) => i.instanceId);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
      expect(pages.every((page) => page.length > 0)).toBe(true);
    }
  });

  it('resumes after the last instance sent even when the matches change between pages', () => {
    const first = scopePage(
      scope,
      matchPositions(scope, () => true),
      0,
      20,
    );
    expect(first.resumeAt).toBe(20);
    // Instances before the resume point drop out: the next page neither skips nor repeats one.
    const fewer = matchPositions(
      scope,
      (i) => scope.indexOf(i) % 2 === 1 || scope.indexOf(i) >= 20,
    );
    const second = scopePage(scope, fewer, first.resumeAt ?? 0, 20);
    expect(second.items.map((i) => i.instanceId)).toEqual(
      scope.slice(20, 40).map((i) => i.instanceId),
    );
  });

  it('answers an empty page past the end and for a filter that matches nothing', () => {
    expect(scopePage(scope, undefined, scope.length + 5, 10)).toEqual({ items: [] });
    expect(
      scopePage(
        scope,
        matchPositions(scope, () => false),
        0,
        10,
      ),
    ).toEqual({ items: [] });
  });
});

describe('cached matches', () => {
  it('computes a query once until the fleet changes, then again', () => {
    const fleet = smallFleet(30);
    const scope = fleet.list(ACCOUNT, REGION);
    const online = () => matchPositions(scope, (i) => i.pingStatus === 'Online');
    let computed = 0;
    const count = () => {
      computed++;
      return online();
    };
    const before = cachedMatches(fleet, 'online', count);
    expect(cachedMatches(fleet, 'online', count)).toBe(before);
    expect(computed).toBe(1);
    const target = scope.find((i) => i.pingStatus === 'Online');
    if (!target) throw new Error('the generated fleet has an online instance');
    fleet.setPingStatus(target.instanceId, 'ConnectionLost');
    const after = cachedMatches(fleet, 'online', count);
    expect(computed).toBe(2);
    expect(after.length).toBe(before.length - 1);
    expect([...after]).not.toContain(fleet.positionInScope(target.instanceId));
  });

  it('keeps different queries apart and forgets the least recently used beyond its capacity', () => {
    const fleet = smallFleet(10);
    let computed = 0;
    const compute = () => {
      computed++;
      return Uint32Array.of(computed);
    };
    for (let n = 0; n < 40; n++) cachedMatches(fleet, `query ${n}`, compute);
    expect(computed).toBe(40);
    cachedMatches(fleet, 'query 39', compute);
    expect(computed).toBe(40);
    cachedMatches(fleet, 'query 0', compute);
    expect(computed).toBe(41);
  });
});

describe('fleet positions', () => {
  it('gives each instance its index in its own account and region', () => {
    const fleet = new Fleet(generateFleet(50, 5, { regions: ['us-east-1', 'eu-west-1'] }));
    for (const region of fleet.regions) {
      fleet.list(ACCOUNT, region).forEach((instance, index) => {
        expect(fleet.positionInScope(instance.instanceId)).toBe(index);
      });
    }
    expect(fleet.positionInScope('i-0000000000000000f')).toBeUndefined();
  });
});

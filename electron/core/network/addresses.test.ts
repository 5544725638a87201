// Unit tests for network change detection: the address key list, the diff, and the poller.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { diffAddresses, externalAddresses, watchNetwork, type InterfaceMap } from './addresses';

const lo = { address: '127.0.0.1', family: 'IPv4', internal: true };
const wifi = { address: '192.168.1.20', family: 'IPv4', internal: false };
const wifi6 = { address: 'fe80::1', family: 'IPv6', internal: false };
const vpn = { address: '10.8.0.2', family: 'IPv4', internal: false };

describe('externalAddresses', () => {
  it('lists non-internal addresses sorted, leaving loopback out', () => {
    expect(
      externalAddresses({ lo: [lo], wlan0: [wifi6, wifi], tun0: [vpn], none: undefined }),
    ).toEqual(['tun0 10.8.0.2', 'wlan0 192.168.1.20', 'wlan0 fe80::1']);
  });
});

describe('diffAddresses', () => {
  it('is undefined for the same set in any order', () => {
    expect(diffAddresses(['a', 'b'], ['b', 'a'])).toBeUndefined();
  });

  it('names what was added and removed', () => {
    expect(diffAddresses(['a', 'b'], ['b', 'c'])).toEqual({ added: ['c'], removed: ['a'] });
  });
});

describe('watchNetwork', () => {
  it('reports a change on the next poll, once, and stops when disposed', () => {
    const clock = new FakeClock();
    let interfaces: InterfaceMap = { lo: [lo], wlan0: [wifi] };
    const changes: unknown[] = [];
    const stop = watchNetwork({
      clock,
      read: () => interfaces,
      onChange: (diff) => changes.push(diff),
    });
    clock.advance(5000);
    expect(changes).toEqual([]);
    interfaces = { lo: [lo], wlan0: [wifi], tun0: [vpn] };
    clock.advance(4999);
    expect(changes).toEqual([]);
    clock.advance(1);
    expect(changes).toEqual([{ added: ['tun0 10.8.0.2'], removed: [] }]);
    clock.advance(20_000);
    expect(changes).toHaveLength(1);
    interfaces = { lo: [lo] };
    stop();
    clock.advance(20_000);
    expect(changes).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps polling when reading the interfaces throws', () => {
    const clock = new FakeClock();
    let fail = true;
    const changes: unknown[] = [];
    const stop = watchNetwork({
      clock,
      read: () => {
        if (fail) throw new Error('EPERM');
        return { wlan0: [wifi] };
      },
      onChange: (diff) => changes.push(diff),
      intervalMs: 1000,
    });
    clock.advance(1000);
    fail = false;
    clock.advance(1000);
    expect(changes).toEqual([{ added: ['wlan0 192.168.1.20'], removed: [] }]);
    stop();
  });
});

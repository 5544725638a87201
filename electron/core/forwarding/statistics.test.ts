import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock';
import { ForwardStatistics, type ByteCounts, type ForwardStats } from './statistics';
import type { PortSessionMode } from './session-starter';

function setup() {
  const clock = new FakeClock(0);
  const connections = new Set<{ bytesWritten: number; bytesRead: number }>();
  const live = {
    connections: connections as ReadonlySet<ByteCounts>,
    waitingCount: 0,
    mode: undefined as PortSessionMode | undefined,
    sessionIds: () => ['s-1'],
  };
  const published: ForwardStats[] = [];
  const statistics = new ForwardStatistics({
    clock,
    live,
    publish: (stats) => published.push(stats),
    rateWindowMs: 1_000,
    intervalMs: 100,
  });
  return { clock, connections, live, published, statistics };
}

describe('ForwardStatistics', () => {
  it('adds the bytes of open connections to those of closed ones', () => {
    const { connections, statistics } = setup();
    const closed = { bytesWritten: 10, bytesRead: 1 };
    const open = { bytesWritten: 5, bytesRead: 2 };
    connections.add(closed).add(open);
    statistics.connectionOpened();
    statistics.connectionOpened();
    connections.delete(closed);
    statistics.connectionClosed(closed);
    const stats = statistics.snapshot();
    expect(stats).toMatchObject({
      connectionsNow: 1,
      connectionsTotal: 2,
      bytesIn: 15,
      bytesOut: 3,
      sessionIds: ['s-1'],
    });
    expect(stats).not.toHaveProperty('mode');
  });

  it('publishes only what changed since the last publication', () => {
    const { live, published, statistics } = setup();
    statistics.publish();
    statistics.publish();
    expect(published).toHaveLength(1);
    live.mode = 'mux';
    statistics.sessionStarted();
    statistics.publish();
    expect(published).toHaveLength(2);
    expect(published[1]).toMatchObject({ mode: 'mux', sessionsStarted: 1 });
  });

  it('notes when the newest session started and when bytes last moved, for the idle and maximum cuts', () => {
    const { clock, connections, statistics } = setup();
    const connection = { bytesWritten: 0, bytesRead: 0 };
    connections.add(connection);
    connection.bytesRead = 3;
    // Traffic before any session (queued connections) is no session's activity.
    expect(statistics.snapshot()).not.toHaveProperty('lastActivityAt');
    clock.advance(1_000);
    statistics.sessionStarted();
    expect(statistics.snapshot()).toMatchObject({ sessionStartedAt: 1_000, lastActivityAt: 1_000 });
    clock.advance(5_000);
    expect(statistics.snapshot().lastActivityAt).toBe(1_000);
    connection.bytesWritten = 10;
    clock.advance(2_000);
    expect(statistics.snapshot()).toMatchObject({ sessionStartedAt: 1_000, lastActivityAt: 8_000 });
    clock.advance(60_000);
    statistics.sessionStarted();
    expect(statistics.snapshot()).toMatchObject({
      sessionStartedAt: 68_000,
      lastActivityAt: 68_000,
    });
    statistics.reset();
    expect(statistics.snapshot()).not.toHaveProperty('sessionStartedAt');
  });

  it('counts from zero after a reset', () => {
    const { statistics } = setup();
    statistics.connectionOpened();
    statistics.sessionStarted();
    statistics.reconnected();
    statistics.connectionClosed({ bytesWritten: 7, bytesRead: 7 });
    statistics.reset();
    expect(statistics.snapshot()).toMatchObject({
      connectionsTotal: 0,
      sessionsStarted: 0,
      reconnects: 0,
      bytesIn: 0,
      bytesOut: 0,
    });
  });

  it('ticks while its run is current and stops when told', () => {
    const { clock, connections, published, statistics } = setup();
    const connection = { bytesWritten: 0, bytesRead: 0 };
    connections.add(connection);
    let current = true;
    statistics.startTicking(() => current);
    connection.bytesWritten = 100;
    clock.advance(100);
    expect(published.at(-1)?.bytesIn).toBe(100);
    current = false;
    connection.bytesWritten = 200;
    clock.advance(100);
    expect(published.at(-1)?.bytesIn).toBe(100);
    expect(clock.pendingTimers).toBe(0);

    statistics.startTicking(() => true);
    statistics.stopTicking();
    expect(clock.pendingTimers).toBe(0);
  });
});

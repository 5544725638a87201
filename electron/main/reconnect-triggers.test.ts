// The reconnect triggers against a mocked electron module: power events and network polling nudge forwards.
import type { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { InterfaceMap } from '../core/network/addresses';
import { silentLogger } from '../core/base/logger';
import { FakeClock } from '../core/testing/fake-clock';

const electron = vi.hoisted(() => ({ power: undefined as EventEmitter | undefined }));

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  electron.power = new Emitter();
  return { powerMonitor: electron.power };
});

const { watchReconnectTriggers } = await import('./reconnect-triggers');

function setup() {
  const clock = new FakeClock();
  const forwards = { notifyResume: vi.fn(), notifyNetworkChange: vi.fn() };
  const sessions = { checkConnections: vi.fn() };
  const state: { interfaces: InterfaceMap } = {
    interfaces: { en0: [{ address: '192.168.1.5', family: 'IPv4', internal: false }] },
  };
  const stop = watchReconnectTriggers({
    forwards,
    sessions,
    clock,
    logger: silentLogger,
    readInterfaces: () => state.interfaces,
  });
  const power = electron.power;
  if (!power) throw new Error('electron mock not loaded');
  return { clock, forwards, sessions, state, stop, power };
}

describe('watchReconnectTriggers', () => {
  it('nudges forwards and terminals on resume and unlock-screen, and stops listening when disposed', () => {
    const { forwards, sessions, stop, power } = setup();
    power.emit('resume');
    power.emit('unlock-screen');
    expect(forwards.notifyResume).toHaveBeenCalledTimes(2);
    expect(sessions.checkConnections).toHaveBeenCalledTimes(2);
    stop();
    power.emit('resume');
    expect(forwards.notifyResume).toHaveBeenCalledTimes(2);
    expect(power.listenerCount('resume')).toBe(0);
    expect(power.listenerCount('unlock-screen')).toBe(0);
  });

  it('reports a network change when the external addresses change, polling every 5 s', () => {
    const { clock, forwards, sessions, state, stop } = setup();
    clock.advance(5000);
    expect(forwards.notifyNetworkChange).not.toHaveBeenCalled();
    state.interfaces = {
      en0: [{ address: '10.0.0.7', family: 'IPv4', internal: false }],
      lo0: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    };
    clock.advance(5000);
    expect(forwards.notifyNetworkChange).toHaveBeenCalledTimes(1);
    expect(sessions.checkConnections).toHaveBeenCalledTimes(1);
    clock.advance(15_000);
    expect(forwards.notifyNetworkChange).toHaveBeenCalledTimes(1);
    stop();
    expect(clock.pendingTimers).toBe(0);
    expect(forwards.notifyResume).not.toHaveBeenCalled();
  });
});

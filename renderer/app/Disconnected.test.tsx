// The disconnected banner's own reconnect: once by itself when the server is up (it dropped the
// page on purpose), never twice within the interval, and never when the server is gone.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUTO_RECONNECT_INTERVAL_MS,
  DisconnectedBanner,
  type AutoReconnectMemory,
  type ReconnectOutcome,
} from './Disconnected';

afterEach(cleanup);

function memory(last?: number): AutoReconnectMemory & { noted: number[] } {
  const noted: number[] = [];
  return {
    noted,
    lastAutoReload: () => last,
    noteAutoReload: (at) => void noted.push(at),
  };
}

async function show(answer: ReconnectOutcome, remembered?: number) {
  const reloads: number[] = [];
  const probes: number[] = [];
  const mem = memory(remembered);
  await act(async () => {
    render(
      <DisconnectedBanner
        details="connection to Airlock closed (1006)"
        probe={() => {
          probes.push(1);
          return Promise.resolve(answer);
        }}
        reload={() => reloads.push(1)}
        autoReconnect={{ memory: mem, now: () => 1_000_000 }}
      />,
    );
    await Promise.resolve();
  });
  return { reloads, probes, mem };
}

describe('DisconnectedBanner', () => {
  it('reloads by itself once when the server still answers, and notes when', async () => {
    const { reloads, mem } = await show('reload');
    expect(reloads).toHaveLength(1);
    expect(mem.noted).toEqual([1_000_000]);
  });

  it('does not reload by itself again within the interval', async () => {
    const { reloads, probes } = await show('reload', 1_000_000 - AUTO_RECONNECT_INTERVAL_MS + 1);
    expect(probes).toHaveLength(0);
    expect(reloads).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Reconnect' })).toBeTruthy();
  });

  it('stays, saying so, when the server is gone', async () => {
    const { reloads } = await show('unreachable');
    expect(reloads).toHaveLength(0);
    expect(screen.getByTestId('disconnected').textContent).toContain('Disconnected from Airlock');
  });
});

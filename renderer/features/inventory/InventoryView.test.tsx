// Component tests of the inventory view over several profiles and regions: Profile and Region
// columns, and the source status strip (errors for the failing sources only, with Log in / Enter
// MFA code / Retry where they help, and the sources still loading).
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InstanceId, Region, SourceId } from '../../../shared/domain';
import type { InventoryList } from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { makeInstance } from '../../testing/instances';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { makeSourceStatus } from '../../testing/sources';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { InventoryView } from './InventoryView';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

const web = makeInstance({
  instanceId: 'i-0aaaaaaaaaaaaaaa1' as InstanceId,
  name: 'web-1',
  sourceId: 'aws:work' as SourceId,
  region: 'eu-west-1' as Region,
  accountId: '111111111111',
});
const api2 = makeInstance({
  instanceId: 'i-0bbbbbbbbbbbbbbb2' as InstanceId,
  name: 'api-2',
  sourceId: 'aws:prod' as SourceId,
  region: 'us-east-1' as Region,
});

const denied = 'AccessDenied: not authorized to perform ssm:DescribeInstanceInformation';
const ssoMessage = 'Profile "dev" needs an IAM Identity Center login: choose Log in.';
const mfaMessage = 'Profile "admin" needs an MFA code.';

const listing: InventoryList = {
  instances: [web, api2],
  sources: [
    makeSourceStatus('work', 'eu-west-1', { count: 1 }),
    makeSourceStatus('work', 'us-east-1', {
      ok: false,
      error: { code: 'aws-error', message: denied, problem: 'access-denied' },
    }),
    makeSourceStatus('prod', 'us-east-1', { count: 1 }),
    makeSourceStatus('dev', 'eu-west-1', {
      ok: false,
      error: { code: 'credentials', message: ssoMessage, problem: 'sso-login-required' },
    }),
    makeSourceStatus('dev', 'us-east-1', {
      ok: false,
      error: { code: 'credentials', message: ssoMessage, problem: 'sso-login-required' },
    }),
    makeSourceStatus('admin', 'eu-west-1', {
      ok: false,
      error: { code: 'credentials', message: mfaMessage, problem: 'mfa-required' },
    }),
    makeSourceStatus('ops', 'ap-southeast-2', { ok: false, pending: true }),
  ],
  fetchedAt: '2025-01-02T10:00:00.000Z',
  refreshing: true,
};

async function renderInventory(list: InventoryList = listing) {
  const api = new FakeApi().reply('inventory:list', { ok: true, value: list });
  const rendered = await renderWithServices(api, <InventoryView active />);
  return { api, ...rendered };
}

function alertFor(label: string, region: string): HTMLElement | undefined {
  return screen
    .queryAllByRole('alert')
    .find((alert) => alert.textContent?.startsWith(`${label} · ${region}:`));
}

/** Clicks a button by name and lets the calls it starts settle. */
async function clickAndSettle(name: string): Promise<void> {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name }));
    await flushMicrotasks();
  });
}

describe('InventoryView over several sources', () => {
  it('shows each instance with its profile and region', async () => {
    await renderInventory();
    const headers = screen.getAllByRole('columnheader').map((header) => header.textContent);
    expect(headers).toContain('Profile');
    expect(headers).toContain('Region');
    const row = document.querySelector<HTMLElement>('[data-instance-id="i-0bbbbbbbbbbbbbbb2"]')!;
    expect(row.querySelector('.cell--profile')?.textContent).toBe('prod');
    expect(row.querySelector('.cell--region')?.textContent).toBe('us-east-1');
  });

  it('shows the error beside the rows for the failing sources only', async () => {
    await renderInventory();
    expect(screen.getAllByRole('row')).toHaveLength(3); // header + the two listed rows
    expect(alertFor('work', 'us-east-1')?.textContent).toContain(denied);
    expect(alertFor('dev', 'eu-west-1')?.textContent).toContain(ssoMessage);
    expect(alertFor('dev', 'us-east-1')?.textContent).toContain(ssoMessage);
    expect(alertFor('admin', 'eu-west-1')?.textContent).toContain(mfaMessage);
    expect(alertFor('work', 'eu-west-1')).toBeUndefined();
    expect(alertFor('prod', 'us-east-1')).toBeUndefined();
    expect(alertFor('ops', 'ap-southeast-2')).toBeUndefined();
    expect(screen.getAllByRole('alert')).toHaveLength(4);
  });

  it('offers Log in and Enter MFA code only where the problem calls for them, once per profile', async () => {
    await renderInventory();
    const work = within(alertFor('work', 'us-east-1')!);
    expect(work.queryByRole('button', { name: /^Log in/ })).toBeNull();
    expect(work.queryByRole('button', { name: /^Enter MFA code/ })).toBeNull();
    expect(screen.getAllByRole('button', { name: 'Log in to dev' })).toHaveLength(1);
    expect(
      within(alertFor('admin', 'eu-west-1')!).getByRole('button', {
        name: 'Enter MFA code for admin',
      }),
    ).toBeTruthy();
  });

  it('logs in, asks for the MFA code and retries a source through main', async () => {
    const { api } = await renderInventory();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Log in to dev' }));
      fireEvent.click(screen.getByRole('button', { name: 'Enter MFA code for admin' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sources:login')).toEqual([{ profile: 'dev' }]);
    expect(api.callsTo('sources:check')).toEqual([{ profile: 'admin' }]);
    await clickAndSettle('Retry work');
    expect(api.callsTo('inventory:list').at(-1)).toEqual({
      refresh: true,
      sourceIds: ['aws:work'],
    });
  });

  it('shows a failed Log in next to its button', async () => {
    const { api } = await renderInventory();
    api.reply('sources:login', {
      ok: false,
      error: { code: 'credentials', message: 'The sign-in code expired before it was approved.' },
    });
    await clickAndSettle('Log in to dev');
    expect(alertFor('dev', 'eu-west-1')?.textContent).toContain(
      'The sign-in code expired before it was approved.',
    );
  });

  it('shows the sources still loading, and updates when inventory:changed arrives', async () => {
    const { api } = await renderInventory();
    expect(screen.getByText('Loading ops · ap-southeast-2…')).toBeTruthy();
    act(() =>
      api.emit('inventory:changed', {
        ...listing,
        sources: [makeSourceStatus('ops', 'ap-southeast-2', { count: 0 })],
        refreshing: false,
      }),
    );
    expect(screen.queryByText('Loading ops · ap-southeast-2…')).toBeNull();
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
  });
});

// The Identity Center section of the sources view against a fake Api: listing a session's accounts,
// the filter, one-click include and leave out, "include all shown with role", and the export
// dialog's preview, conflict and write; plus the filtering and picking functions on their own.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SsoAccountView, SsoAccountsState, SsoSessionView } from '../../../shared/ipc';
import { FakeApi } from '../../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { filterAccounts, pairsWithRole, roleCounts, suggestedProfileName } from './identity-center';
import { SourcesView } from './SourcesView';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

function account(id: string, name: string, roles: string[], included: string[] = []) {
  return {
    accountId: id,
    accountName: name,
    roles: roles.map((roleName) => ({
      roleName,
      profile: `sso/org/${id}/${roleName}`,
      included: included.includes(roleName),
    })),
  } satisfies SsoAccountView;
}

const ACCOUNTS = [
  account('300000000001', 'payments-dev-1', ['ReadOnlyAccess']),
  account('300000000002', 'payments-prod-2', ['AdministratorAccess', 'ReadOnlyAccess']),
  account(
    '300000000003',
    'search-dev-3',
    ['DeveloperAccess', 'ReadOnlyAccess'],
    ['ReadOnlyAccess'],
  ),
];

function session(overrides: Partial<SsoSessionView> = {}): SsoSessionView {
  return {
    id: 'org',
    startUrl: 'https://org.awsapps.com/start',
    region: 'us-east-1',
    viaProfile: 'default',
    signedIn: true,
    listedAt: '2026-01-01T00:00:00.000Z',
    accounts: ACCOUNTS,
    ...overrides,
  };
}

const state = (s: SsoSessionView): SsoAccountsState => ({ sessions: [s] });

async function click(element: HTMLElement) {
  await act(async () => {
    fireEvent.click(element);
    await flushMicrotasks();
  });
}

describe('account filtering and picking', () => {
  it('filters by every word over name, id and roles', () => {
    expect(filterAccounts(ACCOUNTS, 'payments').map((a) => a.accountId)).toEqual([
      '300000000001',
      '300000000002',
    ]);
    expect(filterAccounts(ACCOUNTS, 'PAYMENTS admin').map((a) => a.accountId)).toEqual([
      '300000000002',
    ]);
    expect(filterAccounts(ACCOUNTS, '0003')).toHaveLength(1);
    expect(filterAccounts(ACCOUNTS, '  ')).toHaveLength(3);
  });

  it('counts roles and picks the shown accounts with a role that are not included yet', () => {
    expect(roleCounts(ACCOUNTS)).toEqual([
      { roleName: 'AdministratorAccess', count: 1 },
      { roleName: 'DeveloperAccess', count: 1 },
      { roleName: 'ReadOnlyAccess', count: 3 },
    ]);
    expect(pairsWithRole(ACCOUNTS, 'ReadOnlyAccess')).toEqual([
      { accountId: '300000000001', roleName: 'ReadOnlyAccess' },
      { accountId: '300000000002', roleName: 'ReadOnlyAccess' },
    ]);
    expect(suggestedProfileName('My Team (prod)', 'ReadOnlyAccess')).toBe(
      'My-Team--prod--ReadOnlyAccess',
    );
  });
});

describe('IdentityCenterSection', () => {
  it('is absent without an Identity Center session', async () => {
    await renderWithServices(new FakeApi(), <SourcesView />);
    expect(screen.queryByText('Identity Center accounts')).toBeNull();
  });

  it('lists accounts on request and includes a pair in one click', async () => {
    const api = new FakeApi()
      .reply('sources:sso-accounts', {
        ok: true,
        value: state(session({ accounts: [], listedAt: undefined })),
      })
      .reply('sources:sso-discover', { ok: true, value: state(session()) })
      .reply('sources:sso-include', { ok: true, value: state(session()) });
    await renderWithServices(api, <SourcesView />);
    const section = within(screen.getByRole('region', { name: 'Identity Center session org' }));
    await click(section.getByRole('button', { name: 'List accounts' }));
    expect(api.callsTo('sources:sso-discover')).toEqual([{ session: 'org' }]);
    expect(section.getByTestId('sso-shown-count').textContent).toBe('3 of 3 shown');

    await click(
      section.getByRole('button', { name: 'Include payments-prod-2 as AdministratorAccess' }),
    );
    expect(api.callsTo('sources:sso-include')).toEqual([
      {
        session: 'org',
        pairs: [{ accountId: '300000000002', roleName: 'AdministratorAccess' }],
        included: true,
      },
    ]);
    const included = section.getByRole('button', {
      name: 'Leave out search-dev-3 as ReadOnlyAccess',
    });
    expect(included.getAttribute('aria-pressed')).toBe('true');
    await click(included);
    expect(api.callsTo('sources:sso-include')[1]).toEqual({
      session: 'org',
      pairs: [{ accountId: '300000000003', roleName: 'ReadOnlyAccess' }],
      included: false,
    });
  });

  it('includes all shown accounts with the chosen role, after the filter', async () => {
    const api = new FakeApi()
      .reply('sources:sso-accounts', { ok: true, value: state(session()) })
      .reply('sources:sso-include', { ok: true, value: state(session()) });
    await renderWithServices(api, <SourcesView />);
    const section = within(screen.getByRole('region', { name: 'Identity Center session org' }));
    await act(async () => {
      fireEvent.change(section.getByRole('searchbox', { name: 'Filter accounts of org' }), {
        target: { value: 'payments' },
      });
      await flushMicrotasks();
    });
    expect(section.getByTestId('sso-shown-count').textContent).toBe('2 of 3 shown');
    await act(async () => {
      fireEvent.change(section.getByRole('combobox', { name: 'Role' }), {
        target: { value: 'ReadOnlyAccess' },
      });
      await flushMicrotasks();
    });
    await click(section.getByRole('button', { name: 'Include all shown with ReadOnlyAccess (2)' }));
    expect(api.callsTo('sources:sso-include')).toEqual([
      {
        session: 'org',
        pairs: [
          { accountId: '300000000001', roleName: 'ReadOnlyAccess' },
          { accountId: '300000000002', roleName: 'ReadOnlyAccess' },
        ],
        included: true,
      },
    ]);
  });

  it('offers a login instead of listing while the session is signed out', async () => {
    const api = new FakeApi().reply('sources:sso-accounts', {
      ok: true,
      value: state(session({ signedIn: false, accounts: [], listedAt: undefined })),
    });
    await renderWithServices(api, <SourcesView />);
    const section = within(screen.getByRole('region', { name: 'Identity Center session org' }));
    expect(section.getByRole('button', { name: 'List accounts' })).toHaveProperty('disabled', true);
    await click(section.getByRole('button', { name: 'Log in' }));
    expect(api.callsTo('sources:login')).toEqual([{ profile: 'default' }]);
  });

  it('exports after showing the section, and not under a taken name', async () => {
    const api = new FakeApi()
      .reply('sources:sso-accounts', { ok: true, value: state(session()) })
      .reply('sources:sso-export-preview', (request) => ({
        ok: true,
        value: {
          file: '/home/u/.aws/config',
          text: `[profile ${request.name}]\nsso_session = org\n`,
          ...(request.name === 'default' && {
            conflict: 'A profile named "default" already exists.',
          }),
        },
      }))
      .reply('sources:sso-export', {
        ok: true,
        value: { file: '/home/u/.aws/config', profile: 'x' },
      });
    await renderWithServices(api, <SourcesView />);
    await click(
      screen.getByRole('button', { name: 'Export payments-dev-1 as ReadOnlyAccess as a profile' }),
    );
    const dialog = within(screen.getByRole('dialog', { name: 'Export as profile' }));
    expect(dialog.getByTestId('sso-export-preview').textContent).toContain(
      '[profile payments-dev-1-ReadOnlyAccess]',
    );
    expect(api.callsTo('sources:sso-export')).toEqual([]);

    await act(async () => {
      fireEvent.change(dialog.getByLabelText('Profile name'), { target: { value: 'default' } });
      await flushMicrotasks();
    });
    expect(dialog.getByRole('alert').textContent).toContain('already exists');
    expect(dialog.getByRole('button', { name: 'Write profile' })).toHaveProperty('disabled', true);

    await act(async () => {
      fireEvent.change(dialog.getByLabelText('Profile name'), { target: { value: 'pay-ro' } });
      await flushMicrotasks();
    });
    await click(dialog.getByRole('button', { name: 'Write profile' }));
    expect(api.callsTo('sources:sso-export')).toEqual([
      { session: 'org', accountId: '300000000001', roleName: 'ReadOnlyAccess', name: 'pay-ro' },
    ]);
    expect(dialog.getByRole('status').textContent).toContain('pay-ro was added');
  });
});

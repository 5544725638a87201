// Component tests of the sources view against a fake Api: profile rows with kind, status and the
// right buttons; selecting a profile; the regions dialog (list, add by name, failure, apply,
// cancel); reloading the files; and Identity Center sign-in from a row.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Region } from '../../../shared/domain';
import type { Result, SourcesLoginStarted, SourcesState } from '../../../shared/ipc';
import { FakeApi, deferred } from '../../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../../testing/services';
import { makeProfile, makeSourcesState } from '../../testing/sources';
import { flushMicrotasks } from '../../testing/terminal-fakes';
import { SourcesView } from './SourcesView';
import { SsoLoginDialog } from './SsoLoginDialog';
import { formatWhen } from '../../lib/words';

afterEach(() => {
  cleanup();
  disposeAllServices();
});

const expiresAt = new Date(2025, 0, 2, 17, 30).toISOString();

const work = makeProfile('work', {
  selected: true,
  isDefault: true,
  accountId: '111111111111',
  regions: ['eu-west-1', 'us-east-1'] as Region[],
  status: { state: 'ok', expiresAt },
});
const dev = makeProfile('dev', {
  kind: 'sso',
  usesSso: true,
  accountId: '222222222222',
  status: {
    state: 'error',
    problem: 'sso-login-required',
    message: 'Profile "dev" needs an IAM Identity Center login.',
    actionProfile: 'dev',
  },
  action: 'sso-login',
});
const admin = makeProfile('admin', { kind: 'assume-role', usesMfa: true });

function state(...profiles: ReturnType<typeof makeProfile>[]): SourcesState {
  return makeSourcesState(profiles.length > 0 ? profiles : [work, dev, admin]);
}

async function renderView(initial: SourcesState = state()) {
  const api = new FakeApi().reply('sources:list', { ok: true, value: initial });
  const rendered = await renderWithServices(
    api,
    <>
      <SourcesView />
      <SsoLoginDialog />
    </>,
  );
  return { api, ...rendered };
}

function row(name: string): HTMLElement {
  return screen.getByRole('row', { name: `Profile ${name}` });
}

/** Clicks an element and lets the calls it starts settle. */
async function clickAndSettle(element: HTMLElement): Promise<void> {
  await act(async () => {
    fireEvent.click(element);
    await flushMicrotasks();
  });
}

/** Opens the regions dialog of a profile from its row. */
async function openRegions(profile: string) {
  await clickAndSettle(screen.getByRole('button', { name: `Regions for ${profile}` }));
  return within(screen.getByRole('dialog', { name: `Regions for ${profile}` }));
}

/** Logs in to dev from its row and has main announce the sign-in; resolve the answer to settle it. */
async function startDevLogin(
  api: FakeApi,
  started: Omit<SourcesLoginStarted, 'profile' | 'verificationUri' | 'expiresAt'>,
) {
  const answer = deferred<Result<SourcesState>>();
  api.reply('sources:login', () => answer.promise);
  await clickAndSettle(screen.getByRole('button', { name: 'Log in to dev' }));
  act(() =>
    api.emit('sources:login-started', {
      profile: 'dev',
      verificationUri: 'https://device.sso.example/',
      expiresAt: new Date(2025, 0, 2, 10, 10).toISOString(),
      ...started,
    }),
  );
  return answer;
}

describe('SourcesView', () => {
  it('shows each profile with its kind, region, account, status and only the relevant actions', async () => {
    await renderView();
    expect(screen.getByRole('heading', { name: 'Sources' })).toBeTruthy();

    const workRow = within(row('work'));
    expect(workRow.getByRole('checkbox', { name: 'work' })).toHaveProperty('checked', true);
    expect(row('work').textContent).toContain('static keys');
    expect(row('work').textContent).toContain('account 111111111111');
    expect(workRow.getByTestId('source-status').textContent).toBe(
      `Ready until ${formatWhen(expiresAt)}`,
    );
    expect(workRow.getByTestId('source-regions').textContent).toBe('eu-west-1, us-east-1');
    expect(workRow.queryByRole('button', { name: 'Log in to work' })).toBeNull();
    expect(workRow.queryByRole('button', { name: 'Enter MFA code for work' })).toBeNull();
    expect(workRow.getByRole('button', { name: 'Check work' })).toBeTruthy();

    const devRow = within(row('dev'));
    expect(devRow.getByRole('checkbox', { name: 'dev' })).toHaveProperty('checked', false);
    expect(row('dev').textContent).toContain('SSO');
    expect(devRow.getByTestId('source-status').textContent).toBe(
      'Profile "dev" needs an IAM Identity Center login.',
    );
    expect(devRow.getByRole('button', { name: 'Log in to dev' })).toBeTruthy();

    const adminRow = within(row('admin'));
    expect(row('admin').textContent).toContain('assume role');
    expect(adminRow.getByTestId('source-status').textContent).toBe('Not checked yet');
    expect(adminRow.getByRole('button', { name: 'Enter MFA code for admin' })).toBeTruthy();
    expect(adminRow.queryByRole('button', { name: 'Log in to admin' })).toBeNull();
  });

  it('selects a profile with its checkbox through sources:select', async () => {
    const { api } = await renderView();
    api.reply('sources:select', {
      ok: true,
      value: state(work, { ...dev, selected: true }, admin),
    });
    await clickAndSettle(screen.getByRole('checkbox', { name: 'dev' }));
    expect(api.callsTo('sources:select')).toEqual([{ profile: 'dev', selected: true }]);
    expect(screen.getByRole('checkbox', { name: 'dev' })).toHaveProperty('checked', true);
  });

  it('shows a refused selection in the profile row', async () => {
    const { api } = await renderView();
    api.reply('sources:select', {
      ok: false,
      error: { code: 'internal', message: 'Could not save the profile selection to sources.json' },
    });
    await clickAndSettle(screen.getByRole('checkbox', { name: 'work' }));
    expect(within(row('work')).getByRole('alert').textContent).toBe(
      'Could not save the profile selection to sources.json',
    );
    expect(screen.getByRole('checkbox', { name: 'work' })).toHaveProperty('checked', true);
  });

  it('applies the regions chosen in the regions dialog', async () => {
    const { api } = await renderView();
    api.reply('sources:regions', {
      ok: true,
      value: { regions: ['ap-southeast-2', 'eu-west-1', 'us-east-1'] as Region[] },
    });
    const dialog = await openRegions('work');
    expect(api.callsTo('sources:regions')).toEqual([{ profile: 'work' }]);
    expect(dialog.getByRole('checkbox', { name: 'eu-west-1' })).toHaveProperty('checked', true);
    expect(dialog.getByRole('checkbox', { name: 'us-east-1' })).toHaveProperty('checked', true);
    expect(dialog.getByRole('checkbox', { name: 'ap-southeast-2' })).toHaveProperty(
      'checked',
      false,
    );
    fireEvent.click(dialog.getByRole('checkbox', { name: 'ap-southeast-2' }));
    fireEvent.click(dialog.getByRole('checkbox', { name: 'us-east-1' }));
    api.reply('sources:select', (request) => ({
      ok: true,
      value: state({ ...work, regions: (request.regions ?? []) as Region[] }, dev, admin),
    }));
    await clickAndSettle(dialog.getByRole('button', { name: 'Apply' }));
    expect(api.callsTo('sources:select')).toEqual([
      { profile: 'work', selected: true, regions: ['ap-southeast-2', 'eu-west-1'] },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(row('work')).getByTestId('source-regions').textContent).toBe(
      'ap-southeast-2, eu-west-1',
    );
  });

  it('still lets the user add a region by name when the list cannot be read', async () => {
    const { api } = await renderView();
    api.reply('sources:regions', {
      ok: false,
      error: { code: 'credentials', message: 'Profile "dev" needs an IAM Identity Center login.' },
    });
    const dialog = await openRegions('dev');
    expect(dialog.getByRole('alert').textContent).toContain(
      'Profile "dev" needs an IAM Identity Center login.',
    );
    const field = dialog.getByRole('textbox', { name: 'Add region' });
    fireEvent.change(field, { target: { value: 'nowhere' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(dialog.getAllByRole('alert').at(-1)?.textContent).toContain('is not a region name');
    fireEvent.change(field, { target: { value: 'eu-central-2' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(dialog.getByRole('checkbox', { name: 'eu-central-2' })).toHaveProperty('checked', true);
    // Enter in the field added the region; it did not apply the dialog.
    expect(api.callsTo('sources:select')).toEqual([]);
    await clickAndSettle(dialog.getByRole('button', { name: 'Apply' }));
    expect(api.callsTo('sources:select')).toEqual([
      { profile: 'dev', selected: true, regions: ['eu-central-2', 'eu-west-1'] },
    ]);
  });

  it('closes the regions dialog on Cancel without changing anything', async () => {
    const { api } = await renderView();
    const dialog = await openRegions('work');
    fireEvent.click(dialog.getByRole('checkbox', { name: 'us-east-1' }));
    fireEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.callsTo('sources:select')).toEqual([]);
  });

  it('keeps the regions dialog open with the reason when applying fails', async () => {
    const { api } = await renderView();
    await openRegions('work');
    api.reply('sources:select', {
      ok: false,
      error: { code: 'invalid-request', message: 'sources:select: expected a region' },
    });
    await clickAndSettle(screen.getByRole('button', { name: 'Apply' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Regions for work' }));
    expect(dialog.getByRole('alert').textContent).toBe('expected a region');
  });

  it('reloads the files and lists file problems as alerts', async () => {
    const { api } = await renderView();
    api.reply('sources:reload', {
      ok: true,
      value: makeSourcesState([work], {
        problems: ['~/.aws/config line 7: a line outside any section'],
      }),
    });
    await clickAndSettle(screen.getByRole('button', { name: 'Reload files' }));
    expect(api.callsTo('sources:reload')).toEqual([{}]);
    expect(screen.getByRole('alert').textContent).toBe(
      '~/.aws/config line 7: a line outside any section',
    );
    expect(screen.queryByRole('row', { name: 'Profile dev' })).toBeNull();
  });

  it('checks a profile, and asks for an MFA code through the same call', async () => {
    const { api } = await renderView();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Check work' }));
      fireEvent.click(screen.getByRole('button', { name: 'Enter MFA code for admin' }));
      await flushMicrotasks();
    });
    expect(api.callsTo('sources:check')).toEqual([{ profile: 'work' }, { profile: 'admin' }]);
  });

  it('shows the sign-in code while logging in and closes it when the login resolves', async () => {
    const { api } = await renderView();
    const answer = await startDevLogin(api, {
      userCode: 'WDJB-MJHT',
      verificationUriComplete: 'https://device.sso.example/?user_code=WDJB-MJHT',
    });
    expect(api.callsTo('sources:login')).toEqual([{ profile: 'dev' }]);
    const dialog = within(screen.getByRole('dialog', { name: 'Sign in to dev' }));
    expect(dialog.getByTestId('sso-user-code').textContent).toBe('WDJB-MJHT');
    const link = dialog.getByRole('link', { name: 'Open sign-in page' });
    expect(link.getAttribute('href')).toBe('https://device.sso.example/?user_code=WDJB-MJHT');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener');
    expect(screen.getByRole('dialog').textContent).toContain('closes by itself');
    await act(async () => {
      answer.resolve({ ok: true, value: state(work, { ...dev, status: { state: 'ok' } }, admin) });
      await flushMicrotasks();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(row('dev')).getByTestId('source-status').textContent).toBe('Ready');
  });

  it('closes the sign-in and shows the failure in the row when the login fails', async () => {
    const { api } = await renderView();
    const answer = await startDevLogin(api, { userCode: 'ABCD-EFGH' });
    expect(
      within(screen.getByRole('dialog', { name: 'Sign in to dev' }))
        .getByRole('link', { name: 'Open sign-in page' })
        .getAttribute('href'),
    ).toBe('https://device.sso.example/');
    await act(async () => {
      answer.resolve({
        ok: false,
        error: { code: 'credentials', message: 'The sign-in was denied in the browser.' },
      });
      await flushMicrotasks();
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(within(row('dev')).getByRole('alert').textContent).toBe(
      'The sign-in was denied in the browser.',
    );
  });

  it('shows a browser sign-in with its session, and cancels it calmly from the dialog', async () => {
    const { api } = await renderView();
    const answer = deferred<Result<SourcesState>>();
    api.reply('sources:login', () => answer.promise);
    api.reply('sources:login-cancel', () => {
      answer.resolve({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
      return Promise.resolve({ ok: true, value: { cancelled: true } });
    });
    await clickAndSettle(screen.getByRole('button', { name: 'Log in to dev' }));
    act(() =>
      api.emit('sources:browser-login-started', {
        profile: 'dev',
        session: 'corp',
        startUrl: 'https://corp.awsapps.com/start',
        signInUrl: 'https://oidc.eu-west-1.amazonaws.com/authorize?client_id=c&state=s',
        expiresAt: new Date(2025, 0, 2, 10, 10).toISOString(),
      }),
    );
    const dialog = within(screen.getByRole('dialog', { name: 'Sign in to dev' }));
    expect(dialog.getByTestId('sso-session').textContent).toBe('corp');
    expect(dialog.getByTestId('sso-start-url').textContent).toBe('https://corp.awsapps.com/start');
    const link = dialog.getByRole('link', { name: 'Open sign-in page' });
    expect(link.getAttribute('href')).toBe(
      'https://oidc.eu-west-1.amazonaws.com/authorize?client_id=c&state=s',
    );
    expect(link.getAttribute('target')).toBe('_blank');
    expect(dialog.getByRole('button', { name: 'Use a code instead' })).toBeTruthy();
    await clickAndSettle(dialog.getByRole('button', { name: 'Cancel' }));
    expect(api.callsTo('sources:login-cancel')).toEqual([{ profile: 'dev' }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    // Cancelling is the user's choice: no error in the row.
    expect(within(row('dev')).queryByRole('alert')).toBeNull();
  });
});

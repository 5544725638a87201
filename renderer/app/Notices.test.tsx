// Notices: an information notice fades after its lifetime unless the pointer or the focus is on
// it; an error stays until dismissed; both can be read again in the notice history.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { disposeAllServices, renderWithServices } from '../testing/services';
import { NoticeHistory } from './NoticeHistory';
import { NOTICE_LIFETIME_MS, Notices } from './Notices';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  cleanup();
  disposeAllServices();
  vi.useRealTimers();
});

async function renderNotices() {
  const { services } = await renderWithServices(
    new FakeApi(),
    <>
      <NoticeHistory />
      <Notices />
    </>,
  );
  return services;
}

describe('Notices', () => {
  it('lets an information notice fade, but not while hovered or focused', async () => {
    const services = await renderNotices();
    act(() => void services.app.getState().notify('info', 'Copied'));
    const notice = screen.getByRole('status');
    fireEvent.mouseEnter(notice);
    act(() => {
      vi.advanceTimersByTime(NOTICE_LIFETIME_MS * 3);
    });
    expect(screen.queryByText('Copied')).not.toBeNull();
    fireEvent.mouseLeave(notice);
    act(() => within(notice).getByRole('button', { name: 'Dismiss' }).focus());
    act(() => {
      vi.advanceTimersByTime(NOTICE_LIFETIME_MS * 3);
    });
    expect(screen.queryByText('Copied')).not.toBeNull();
    act(() => within(notice).getByRole('button', { name: 'Dismiss' }).blur());
    act(() => {
      vi.advanceTimersByTime(NOTICE_LIFETIME_MS - 1);
    });
    expect(screen.queryByText('Copied')).not.toBeNull();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(screen.queryByText('Copied')).toBeNull();
  });

  it('keeps an error until it is dismissed, and both stay in the history', async () => {
    const services = await renderNotices();
    act(() => void services.app.getState().notify('error', 'Could not close web-1'));
    act(() => void services.app.getState().notify('info', 'Copied'));
    act(() => {
      vi.advanceTimersByTime(NOTICE_LIFETIME_MS * 10);
    });
    expect(screen.queryByText('Copied')).toBeNull();
    const alert = screen.getByRole('alert');
    fireEvent.click(within(alert).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();

    const button = screen.getByRole('button', { name: /Notices/ });
    expect(button.textContent).toBe('Notices2');
    fireEvent.click(button);
    const panel = screen.getByRole('region', { name: 'Recent notices' });
    const items = within(panel).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/Info\s*Copied$/) as string,
      expect.stringMatching(/Error\s*Could not close web-1$/) as string,
    ]);
    expect(within(panel).getByText('2 notices')).toBeTruthy();
    fireEvent.keyDown(panel, { key: 'Escape' });
    expect(screen.queryByRole('region', { name: 'Recent notices' })).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

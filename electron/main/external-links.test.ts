// Opening links in the system browser: allowed AWS hosts open unasked, others only after a yes.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ dialog: {}, shell: {} }));

const { openExternalLink } = await import('./external-links');

function ports(answer: boolean) {
  const asked: string[] = [];
  const opened: string[] = [];
  return {
    asked,
    opened,
    ports: {
      ask: (url: string) => {
        asked.push(url);
        return Promise.resolve(answer);
      },
      open: (url: string) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
  };
}

describe('openExternalLink', () => {
  it('opens an allowed AWS link without asking', async () => {
    const { asked, opened, ports: p } = ports(false);
    const url = 'https://docs.aws.amazon.com/systems-manager/';
    expect(await openExternalLink(url, p)).toBe(true);
    expect(asked).toEqual([]);
    expect(opened).toEqual([url]);
  });

  it('asks about any other link and opens it only on yes', async () => {
    const url = 'https://example.com/from-a-terminal';
    const declined = ports(false);
    expect(await openExternalLink(url, declined.ports)).toBe(false);
    expect(declined.asked).toEqual([url]);
    expect(declined.opened).toEqual([]);

    const accepted = ports(true);
    expect(await openExternalLink(url, accepted.ports)).toBe(true);
    expect(accepted.opened).toEqual([url]);
  });

  it('never asks about or opens a non-http(s) link', async () => {
    const { asked, opened, ports: p } = ports(true);
    expect(await openExternalLink('file:///etc/passwd', p)).toBe(false);
    expect(asked).toEqual([]);
    expect(opened).toEqual([]);
  });
});

// The app's built-in Local sandbox against someone else on this machine: an Identity Center login
// started by anyone at the sandbox's port waits for the app's user, who sees it over IPC
// (sources:sandbox-sign-in-requested) and answers with sources:sandbox-sign-in-answer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannelName, SourcesSandboxSignInRequested } from '../../shared/ipc';
import { attemptSsoSteal } from '../emulator/identity-center.fixture';
import { startBuiltInSandbox } from '../emulator/starter';
import { createApp, type App } from './app';
import type { IpcSender } from './ipc/router';
import { systemClock } from './base/clock';
import { silentLogger } from './base/logger';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

let dir: string;
let app: App;
let endpoint = '';
const prompts: SourcesSandboxSignInRequested[] = [];
const settled: { promptId: string; approved: boolean }[] = [];
const waiters = new Set<() => void>();

function nextPrompt(after: number): Promise<SourcesSandboxSignInRequested> {
  return new Promise((resolve) => {
    const check = () => {
      const prompt = prompts[after];
      if (!prompt) return;
      waiters.delete(check);
      resolve(prompt);
    };
    waiters.add(check);
    check();
  });
}

function answer(promptId: string, approve: boolean) {
  return app.router.dispatch(
    { channel: 'sources:sandbox-sign-in-answer', payload: { promptId, approve }, sender: ui },
    trusted,
  );
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'airlock-sandbox-sign-in-'));
  app = await createApp({
    userDataDir: dir,
    mode: 'browser',
    // No AWS files in this HOME: the app starts its built-in sandbox, as it would for a new user.
    env: { HOME: dir, SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async (options) => {
      const sandbox = await startBuiltInSandbox(options);
      endpoint = sandbox.endpoint;
      return sandbox;
    },
  });
  app.router.subscribe((channel: EventChannelName, payload) => {
    if (channel === 'sources:sandbox-sign-in-requested')
      prompts.push(payload as SourcesSandboxSignInRequested);
    if (channel === 'sources:sandbox-sign-in-settled')
      settled.push(payload as { promptId: string; approved: boolean });
    for (const check of [...waiters]) check();
  });
});

afterAll(async () => {
  await app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe("the built-in sandbox's Identity Center", () => {
  it('asks the user, and a login the user denies gets no credentials', async () => {
    expect(app.info.backend.kind).toBe('sandbox');
    const outcome = await attemptSsoSteal(endpoint, {
      async afterStart(userCode) {
        const prompt = await nextPrompt(0);
        expect(prompt).toMatchObject({ userCode, clientName: 'not-airlock' });
        expect(await answer(prompt.promptId, false)).toEqual({ ok: true, value: {} });
      },
    });
    expect(outcome.accessKeyId).toBeUndefined();
    expect(outcome.steps.at(-1)).toMatchObject({ step: 'token', error: 'access_denied' });
    expect(settled).toEqual([{ promptId: prompts[0]?.promptId, approved: false }]);
  });

  it('gets no credentials while the prompt is unanswered, however often it polls', async () => {
    const outcome = await attemptSsoSteal(endpoint);
    expect(outcome.accessKeyId).toBeUndefined();
    expect(outcome.steps.slice(-2).map((s) => s.error)).toEqual([
      'authorization_pending',
      'authorization_pending',
    ]);
    const prompt = await nextPrompt(1);
    expect(prompt.userCode).toBe(outcome.userCode);
    await answer(prompt.promptId, false);
  });

  it('lets the login through once the user approves it', async () => {
    const outcome = await attemptSsoSteal(endpoint, {
      async afterStart() {
        const prompt = await nextPrompt(2);
        await answer(prompt.promptId, true);
      },
    });
    expect(outcome.accessKeyId).toMatch(/^ASIA/);
    // A prompt already answered cannot be answered again.
    const late = await answer(prompts[2]?.promptId ?? '', false);
    expect(late).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

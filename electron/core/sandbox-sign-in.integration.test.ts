// The app's built-in Local sandbox against someone else on this machine: an Identity Center login
// started by anyone at the sandbox's port waits for the app's user, who sees it over IPC
// (sources:sandbox-sign-in-requested) and answers with sources:sandbox-sign-in-answer.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannelName, SourcesSandboxSignInRequested } from '../../shared/ipc';
import { attemptSsoSteal, rawRequest } from '../emulator/identity-center.fixture';
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

  it("approves a browser (PKCE) sign-in only with the app's code typed on its page", async () => {
    const registered = await rawRequest(endpoint, {
      path: '/client/register',
      body: {
        clientName: 'botocore-client-cli',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: 'https://sandbox.awsapps.com/start',
      },
    });
    const { clientId } = JSON.parse(registered.body) as { clientId: string };
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:5555/oauth/callback',
      state: 'st',
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCQaoWm6Ak8xGR5N7Y3z2P2M',
    });
    const page = await rawRequest(endpoint, { path: `/authorize?${query.toString()}` });
    const prompt = await nextPrompt(3);
    expect(prompt).toMatchObject({ clientName: 'botocore-client-cli', flow: 'authorization-code' });
    expect(page.body).not.toContain(prompt.userCode);
    // The app cannot approve it: only the code on the page can.
    expect(await answer(prompt.promptId, true)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const request = /name="request" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const typed = await rawRequest(endpoint, {
      method: 'POST',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: endpoint },
      body: new URLSearchParams({
        request,
        decision: 'approve',
        approval_code: prompt.userCode,
      }).toString(),
    });
    expect(typed.status).toBe(302);
    expect(new URL(String(typed.headers.location)).searchParams.get('code')).toMatch(
      /^sandbox-code-/,
    );
    // The prompt closed by itself, as approved.
    expect(settled.at(-1)).toEqual({ promptId: prompt.promptId, approved: true });
  });
});

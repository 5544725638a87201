// The sandbox's Identity Center over real loopback HTTP, as an attacker on this machine or a web
// page would try it: no login goes through without the person at the terminal or the app, foreign
// Host and Origin headers are refused before any route, and the sign-in page's approval works.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_APPROVAL_ATTEMPTS, type SsoSignInRequest } from './api/sso-oidc';
import { startSandbox, type Sandbox, type SandboxOptions } from './sandbox';
import { attemptSsoSteal, rawRequest, submitApprovalCode } from './identity-center.fixture';

let sandbox: Sandbox | undefined;

async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ pacing: false, ...options });
  return sandbox;
}

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function upgrade(endpoint: string, headers: Record<string, string>) {
  return rawRequest(endpoint, {
    path: '/v1/data-channel/some-session?role=publish_subscribe',
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      ...headers,
    },
  });
}

describe('Identity Center sign-in approval', () => {
  it('gives an unapproved login no credentials, however often it polls', async () => {
    const { endpoint } = await start();
    const outcome = await attemptSsoSteal(endpoint);
    expect(outcome.accessKeyId).toBeUndefined();
    expect(outcome.steps.map((s) => s.step)).toEqual(['register', 'device', 'token', 'token']);
    expect(outcome.steps.slice(2).map((s) => s.error)).toEqual([
      'authorization_pending',
      'authorization_pending',
    ]);
  });

  it('does not approve a login when its sign-in page is merely opened', async () => {
    const { endpoint } = await start();
    const outcome = await attemptSsoSteal(endpoint, {
      async afterStart(userCode) {
        const page = await rawRequest(endpoint, {
          path: `/device?user_code=${encodeURIComponent(userCode)}`,
        });
        expect(page.status).toBe(200);
        expect(page.body).toContain('approval code');
        expect(page.headers['x-frame-options']).toBe('DENY');
        expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      },
    });
    expect(outcome.accessKeyId).toBeUndefined();
  });

  it('approves with the approval code entered on the sign-in page, and not with a wrong one', async () => {
    const { endpoint, ssoApprovalCode } = await start();
    expect(ssoApprovalCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const outcome = await attemptSsoSteal(endpoint, {
      async afterStart(userCode) {
        const wrong = await submitApprovalCode(endpoint, userCode, 'BBBB-BBBB');
        expect(wrong.body).toContain('That approval code is wrong');
        const right = await submitApprovalCode(endpoint, userCode, ssoApprovalCode ?? '');
        expect(right.status).toBe(200);
        expect(right.body).toContain('approved');
      },
    });
    expect(outcome.accessKeyId).toMatch(/^ASIA/);
    expect(outcome.steps.map((s) => s.step)).toEqual([
      'register',
      'device',
      'token',
      'accounts',
      'credentials',
    ]);
  });

  it('denies a login after too many wrong approval codes', async () => {
    const { endpoint, ssoApprovalCode } = await start();
    const outcome = await attemptSsoSteal(endpoint, {
      async afterStart(userCode) {
        for (let i = 0; i < MAX_APPROVAL_ATTEMPTS; i++) {
          await submitApprovalCode(endpoint, userCode, `WRONG-${i}`);
        }
        // Even the right code is too late now.
        const late = await submitApprovalCode(endpoint, userCode, ssoApprovalCode ?? '');
        expect(late.status).toBe(404);
      },
    });
    expect(outcome.accessKeyId).toBeUndefined();
    expect(outcome.steps.at(-1)).toMatchObject({ step: 'token', error: 'access_denied' });
  });

  it('asks the app in prompt mode: a no denies, a yes lets the login through', async () => {
    const asked: SsoSignInRequest[] = [];
    let answer = false;
    const { endpoint } = await start({
      ssoApproval: {
        kind: 'prompt',
        ask: (request) => {
          asked.push(request);
          return Promise.resolve(answer);
        },
      },
    });
    const denied = await attemptSsoSteal(endpoint);
    expect(denied.accessKeyId).toBeUndefined();
    expect(denied.steps.at(-1)).toMatchObject({ step: 'token', error: 'access_denied' });
    expect(asked).toEqual([
      { userCode: denied.userCode, clientName: 'not-airlock', flow: 'device' },
    ]);
    answer = true;
    const approved = await attemptSsoSteal(endpoint);
    expect(approved.accessKeyId).toMatch(/^ASIA/);
  });

  it('approves at once with --sso-auto-approve (tests only)', async () => {
    const { endpoint, ssoApprovalCode } = await start({ ssoApproval: { kind: 'auto' } });
    expect(ssoApprovalCode).toBeUndefined();
    expect((await attemptSsoSteal(endpoint)).accessKeyId).toMatch(/^ASIA/);
  });

  it('escapes the user code on the sign-in page', async () => {
    const { endpoint } = await start();
    const page = await rawRequest(endpoint, {
      path: `/device?user_code=${encodeURIComponent('<script>alert(1)</script>')}`,
    });
    expect(page.status).toBe(404);
    expect(page.body).not.toContain('<script>');
  });
});

describe('authorization-code sign-in approval', () => {
  async function registerCodeClient(endpoint: string, body: Record<string, unknown> = {}) {
    return rawRequest(endpoint, {
      path: '/client/register',
      body: {
        clientName: 'pkce-client',
        clientType: 'public',
        scopes: ['sso:account:access'],
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: ['http://127.0.0.1/oauth/callback'],
        issuerUrl: 'https://sandbox.awsapps.com/start',
        ...body,
      },
    });
  }

  function authorizePath(clientId: string): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://127.0.0.1:5555/oauth/callback',
      state: 'st',
      code_challenge_method: 'S256',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCQaoWm6Ak8xGR5N7Y3z2P2M',
    });
    return `/authorize?${query.toString()}`;
  }

  it('refuses code-grant registrations without loopback redirect URIs or an issuer', async () => {
    const { endpoint } = await start();
    for (const wrong of [
      { redirectUris: [] },
      { redirectUris: ['https://evil.example/callback'] },
      { issuerUrl: '' },
      { grantTypes: ['implicit'] },
    ]) {
      const answer = await registerCodeClient(endpoint, wrong);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid_client_metadata' });
    }
  });

  /** The authorize page's form, posted as a browser would. */
  function decide(endpoint: string, page: string, approvalCode: string) {
    const request = /name="request" value="([^"]+)"/.exec(page)?.[1] ?? '';
    return rawRequest(endpoint, {
      method: 'POST',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: endpoint },
      body: new URLSearchParams({
        request,
        decision: 'approve',
        approval_code: approvalCode,
      }).toString(),
    });
  }

  async function promptSandbox() {
    const asked: SsoSignInRequest[] = [];
    const answers: ((approved: boolean) => void)[] = [];
    const { endpoint } = await start({
      ssoApproval: {
        kind: 'prompt',
        ask: (request) => {
          asked.push(request);
          return new Promise((resolve) => answers.push(resolve));
        },
      },
    });
    const { clientId } = JSON.parse((await registerCodeClient(endpoint)).body) as {
      clientId: string;
    };
    return { endpoint, clientId, asked, answers };
  }

  it('in prompt mode approves only with the code the app shows; the app itself can only deny', async () => {
    const { endpoint, clientId, asked, answers } = await promptSandbox();
    // The page waits for the code and never shows it; the app is asked with it at once.
    const page = await rawRequest(endpoint, { path: authorizePath(clientId) });
    expect(page.status).toBe(200);
    expect(page.headers.location).toBeUndefined();
    expect(asked).toHaveLength(1);
    const [request] = asked;
    expect(request).toMatchObject({ clientName: 'pkce-client', flow: 'authorization-code' });
    const code = request?.userCode ?? '';
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(page.body).not.toContain(code);
    expect(page.body).toContain('Code from Airlock');
    // A yes in the app approves nothing: the sign-in still waits for its code.
    answers[0]?.(true);
    const wrong = await decide(endpoint, page.body, 'WRONG-CODE');
    expect(wrong.status).toBe(200);
    expect(wrong.body).toContain('That approval code is wrong');
    expect(request?.decided?.aborted).toBe(false);
    // The code the app showed lets it through, and tells the app's prompt it was decided.
    const approved = await decide(endpoint, page.body, code.toLowerCase());
    expect(approved.status).toBe(302);
    const approvedAt = new URL(String(approved.headers.location));
    expect(approvedAt.origin).toBe('http://127.0.0.1:5555');
    expect(approvedAt.searchParams.get('state')).toBe('st');
    expect(approvedAt.searchParams.get('code')).toMatch(/^sandbox-code-/);
    expect(request?.decided?.reason).toBe('approved');
  });

  it("in prompt mode sends the page access_denied after the app's no, even with the right code", async () => {
    const { endpoint, clientId, asked, answers } = await promptSandbox();
    const page = await rawRequest(endpoint, { path: authorizePath(clientId) });
    answers[0]?.(false);
    const denied = await decide(endpoint, page.body, asked[0]?.userCode ?? '');
    expect(denied.status).toBe(302);
    const deniedAt = new URL(String(denied.headers.location));
    expect(deniedAt.searchParams.get('error')).toBe('access_denied');
    expect(deniedAt.searchParams.get('code')).toBeNull();
    expect(asked[0]?.decided?.reason).toBe('denied');
  });

  it('shows the approval form in code mode and redirects nowhere before the code is entered', async () => {
    const { endpoint } = await start();
    const { clientId } = JSON.parse((await registerCodeClient(endpoint)).body) as {
      clientId: string;
    };
    const page = await rawRequest(endpoint, { path: authorizePath(clientId) });
    expect(page.status).toBe(200);
    expect(page.headers.location).toBeUndefined();
    expect(page.body).toContain('action="/authorize"');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});

describe('who may talk to the sandbox', () => {
  it('refuses a foreign Host before any route, even with approval on', async () => {
    const { endpoint, port } = await start({ ssoApproval: { kind: 'auto' } });
    const outcome = await attemptSsoSteal(endpoint, { headers: { host: `evil.example:${port}` } });
    expect(outcome.steps).toEqual([{ step: 'register', status: 403, error: 'HTTP 403' }]);
    for (const host of [`127.0.0.1:${port + 1}`, '127.0.0.1', `localhost.evil.example:${port}`]) {
      const response = await rawRequest(endpoint, { path: '/client/register', headers: { host } });
      expect(response.status, host).toBe(403);
    }
  });

  it('refuses a foreign Origin, and its own Origin anywhere but the sign-in page', async () => {
    const { endpoint, port } = await start({ ssoApproval: { kind: 'auto' } });
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${port + 1}`,
      endpoint,
    ]) {
      const outcome = await attemptSsoSteal(endpoint, { headers: { origin } });
      expect(outcome.steps, origin).toEqual([{ step: 'register', status: 403, error: 'HTTP 403' }]);
    }
    const page = await rawRequest(endpoint, {
      path: '/device?user_code=NONE',
      headers: { origin: `http://localhost:${port}` },
    });
    expect(page.status).toBe(404);
    expect(page.body).toContain('unknown');
  });

  it('answers at localhost:PORT too, and names its own address in the sign-in link', async () => {
    const { endpoint, port } = await start();
    const registered = await rawRequest(endpoint, {
      path: '/client/register',
      headers: { host: `localhost:${port}` },
      body: { clientName: 'cli', clientType: 'public' },
    });
    expect(registered.status).toBe(200);
    const { clientId, clientSecret } = JSON.parse(registered.body) as Record<string, string>;
    const device = await rawRequest(endpoint, {
      path: '/device_authorization',
      headers: { host: `localhost:${port}` },
      body: { clientId, clientSecret, startUrl: 'https://sandbox.awsapps.com/start' },
    });
    const { verificationUriComplete = '' } = JSON.parse(device.body) as Record<string, string>;
    expect(verificationUriComplete.startsWith(`${endpoint}/device?user_code=`)).toBe(true);
  });

  it('refuses data-channel upgrades with a foreign Host or any Origin', async () => {
    const { endpoint, port } = await start();
    expect((await upgrade(endpoint, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await upgrade(endpoint, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await upgrade(endpoint, { origin: endpoint })).status).toBe(403);
  });
});

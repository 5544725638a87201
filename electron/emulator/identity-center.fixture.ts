// The sign-in an attacker on this machine (or a web page) would try against a sandbox's Identity
// Center: register a client, start a device login, poll for the token twice, list accounts and ask
// for role credentials. Raw HTTP, so a test can set any Host and Origin.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded unless it is a string already. */
  body?: unknown;
}

/** One HTTP request to `endpoint` (http://127.0.0.1:PORT) with exactly the given headers. */
export function rawRequest(endpoint: string, options: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        path: options.path,
        headers: {
          ...(body !== undefined && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          }),
          ...options.headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function json(response: RawResponse): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(response.body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface StealStep {
  step: 'register' | 'device' | 'token' | 'accounts' | 'credentials';
  status: number;
  /** The OAuth error or the x-amzn-errortype, when the step failed. */
  error?: string;
}

export interface StealOutcome {
  /** Each step taken, until the first that failed. */
  steps: StealStep[];
  /** The user code the device login showed, once it started. */
  userCode?: string;
  /** Set only when the whole sequence got role credentials. */
  accessKeyId?: string;
}

export interface StealOptions {
  /** Extra headers on every request (a forged Host, an Origin). */
  headers?: Record<string, string>;
  /** Called after the device login started and before the first poll (a test approves here). */
  afterStart?: (userCode: string) => Promise<void>;
}

/** Runs the sequence; never throws for refusals, which show in `steps`. */
export async function attemptSsoSteal(
  endpoint: string,
  options: StealOptions = {},
): Promise<StealOutcome> {
  const headers = options.headers ?? {};
  const steps: StealStep[] = [];
  const outcome: StealOutcome = { steps };
  const note = (step: StealStep['step'], response: RawResponse): boolean => {
    const ok = response.status === 200;
    const errorType = response.headers['x-amzn-errortype'];
    const oauth = json(response).error;
    steps.push({
      step,
      status: response.status,
      ...(!ok && {
        error:
          typeof oauth === 'string'
            ? oauth
            : typeof errorType === 'string'
              ? errorType
              : `HTTP ${response.status}`,
      }),
    });
    return ok;
  };

  const registered = await rawRequest(endpoint, {
    path: '/client/register',
    headers,
    body: { clientName: 'not-airlock', clientType: 'public' },
  });
  if (!note('register', registered)) return outcome;
  const { clientId, clientSecret } = json(registered);

  const device = await rawRequest(endpoint, {
    path: '/device_authorization',
    headers,
    body: { clientId, clientSecret, startUrl: 'https://sandbox.awsapps.com/start' },
  });
  if (!note('device', device)) return outcome;
  const { deviceCode, userCode } = json(device);
  if (typeof userCode === 'string') {
    outcome.userCode = userCode;
    await options.afterStart?.(userCode);
  }

  let accessToken: unknown;
  for (let poll = 0; poll < 2 && accessToken === undefined; poll++) {
    const token = await rawRequest(endpoint, {
      path: '/token',
      headers,
      body: {
        clientId,
        clientSecret,
        deviceCode,
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      },
    });
    const granted = note('token', token);
    if (granted) accessToken = json(token).accessToken;
    else if (json(token).error !== 'authorization_pending') return outcome;
  }
  if (typeof accessToken !== 'string') return outcome;

  const bearer = { ...headers, 'x-amz-sso_bearer_token': accessToken };
  const accounts = await rawRequest(endpoint, { path: '/assignment/accounts', headers: bearer });
  if (!note('accounts', accounts)) return outcome;
  const list = json(accounts).accountList;
  const first = Array.isArray(list) ? (list[0] as { accountId?: unknown } | undefined) : undefined;
  const accountId = typeof first?.accountId === 'string' ? first.accountId : '';

  const credentials = await rawRequest(endpoint, {
    path: `/federation/credentials?account_id=${encodeURIComponent(accountId)}&role_name=AdministratorAccess`,
    headers: bearer,
  });
  if (!note('credentials', credentials)) return outcome;
  const roleCredentials = json(credentials).roleCredentials as
    { accessKeyId?: unknown } | undefined;
  if (typeof roleCredentials?.accessKeyId === 'string') {
    outcome.accessKeyId = roleCredentials.accessKeyId;
  }
  return outcome;
}

/** Enters `approvalCode` on the sandbox's sign-in page for `userCode`, as its form posts it. */
export function submitApprovalCode(
  endpoint: string,
  userCode: string,
  approvalCode: string,
  origin: string = endpoint,
): Promise<RawResponse> {
  const body = new URLSearchParams({
    user_code: userCode,
    approval_code: approvalCode,
    decision: 'approve',
  }).toString();
  return rawRequest(endpoint, {
    method: 'POST',
    path: '/device',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body,
  });
}

/** Where a response redirects to, as an endpoint and a path for rawRequest. */
function redirectTarget(response: RawResponse): { endpoint: string; path: string } | undefined {
  const location = response.headers.location;
  if (response.status !== 302 || typeof location !== 'string') return undefined;
  const url = new URL(location);
  return { endpoint: `${url.protocol}//${url.host}`, path: `${url.pathname}${url.search}` };
}

/**
 * What a browser does with an authorization-code sign-in page: opens `authorizeUrl`, decides on the
 * sandbox's page when it asks (the approval code, or Deny), and follows the redirect to the
 * client's loopback listener. Returns the last response (the listener's, once redirected).
 */
export async function signInInBrowser(
  authorizeUrl: string,
  decision?: { approvalCode: string } | 'deny',
): Promise<RawResponse> {
  const url = new URL(authorizeUrl);
  const endpoint = `${url.protocol}//${url.host}`;
  let response = await rawRequest(endpoint, { path: `${url.pathname}${url.search}` });
  const requestId = /name="request" value="([^"]+)"/.exec(response.body)?.[1];
  if (response.status === 200 && decision !== undefined && requestId !== undefined) {
    const form = new URLSearchParams({
      request: requestId,
      ...(decision === 'deny'
        ? { decision: 'deny' }
        : { decision: 'approve', approval_code: decision.approvalCode }),
    }).toString();
    response = await rawRequest(endpoint, {
      method: 'POST',
      path: '/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: endpoint },
      body: form,
    });
  }
  const next = redirectTarget(response);
  return next ? rawRequest(next.endpoint, { path: next.path }) : response;
}

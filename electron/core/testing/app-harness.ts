// The composed app (browser mode) as integration tests start it: on its built-in Local sandbox, or
// pointed at the test's own sandboxes through AWS settings (environment or ~/.aws files) and then
// driven as the renderer drives it: IPC calls through the router, the shells' output collected
// from its events, and waits on that output without sleeps.
import { createApp, type App } from '../app';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import type { Environment } from '../services/aws-environment';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../emulator/sandbox';
import { builtInSandboxOf } from '../../emulator/starter';
import { callAs, dispatchAs, RouterEvents } from './router-events';

export interface AppHarness {
  readonly app: App;
  /** An IPC request as the renderer sends it; the router's answer, ok or not. */
  dispatch(channel: string, payload: unknown): ReturnType<App['router']['dispatch']>;
  /** An IPC request that must succeed; its value. */
  call<T>(channel: string, payload: unknown): Promise<T>;
  /** Everything the app's shells printed so far, as text. */
  output(): string;
  /** Resolves once `predicate` holds, checked after every event the app sends. */
  until(predicate: () => boolean): Promise<void>;
  dispose(): Promise<void>;
}

export async function startAppOnConfiguredAws(options: {
  userDataDir: string;
  env: Environment;
}): Promise<AppHarness> {
  const app = await createApp({
    userDataDir: options.userDataDir,
    mode: 'browser',
    env: options.env,
    clock: systemClock,
    logger: silentLogger,
    // The app may never start its built-in sandbox here.
    startSandbox: () => Promise.reject(new Error('the app must use the configured AWS endpoint')),
  });
  const events = new RouterEvents();
  events.watch(app.router);
  return {
    app,
    dispatch: (channel, payload) => dispatchAs(app, channel, payload),
    call: (channel, payload) => callAs(app, channel, payload),
    output: () => events.outputText(),
    until: (predicate) => events.until(predicate),
    dispose: () => app.dispose(),
  };
}

/**
 * The composed app (browser mode) on its built-in Local sandbox, with HOME in the data folder and
 * /bin/sh as the shell (what the real agent starts). `sandbox` adds options to the sandbox (pacing
 * is off unless it says otherwise); `started` hears the sandbox once it runs.
 */
export function startAppOnLocalSandbox(options: {
  userDataDir: string;
  sandbox?: Omit<SandboxOptions, 'logger'>;
  started?: (sandbox: Sandbox) => void;
}): Promise<App> {
  return createApp({
    userDataDir: options.userDataDir,
    mode: 'browser',
    env: { HOME: options.userDataDir, AIRLOCK_SANDBOX: '1', SHELL: '/bin/sh' },
    clock: systemClock,
    logger: silentLogger,
    startSandbox: async ({ clock, logger }) => {
      const sandbox = await startSandbox({ clock, logger, pacing: false, ...options.sandbox });
      options.started?.(sandbox);
      return builtInSandboxOf(sandbox);
    },
  });
}

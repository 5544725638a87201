// The composed app (browser mode) driven as the renderer drives it, for integration tests that
// point it at their own Local sandboxes through AWS settings (environment or ~/.aws files): IPC
// calls through the router, the shells' output collected from its events, and waits on that output
// without sleeps. The app may never start its built-in sandbox here.
import type { EventChannelName } from '../../../shared/ipc';
import { createApp, type App } from '../app';
import { systemClock } from '../base/clock';
import { silentLogger } from '../base/logger';
import type { IpcSender } from '../ipc/router';
import type { Environment } from '../services/aws-environment';

const ui: IpcSender = { id: 'ui-1', description: 'test' };
const trusted = () => true;

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
    startSandbox: () => Promise.reject(new Error('the app must use the configured AWS endpoint')),
  });
  const output: string[] = [];
  const waiters = new Set<() => void>();
  app.router.subscribe((channel: EventChannelName, payload: unknown) => {
    if (channel === 'sessions:output') {
      output.push(Buffer.from((payload as { data: Uint8Array }).data).toString('utf8'));
    }
    for (const check of [...waiters]) check();
  });
  const dispatch: AppHarness['dispatch'] = (channel, payload) =>
    app.router.dispatch({ channel, payload, sender: ui }, trusted);
  return {
    app,
    dispatch,
    async call<T>(channel: string, payload: unknown): Promise<T> {
      const result = await dispatch(channel, payload);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    },
    output: () => output.join(''),
    until: (predicate) =>
      new Promise((resolve) => {
        const check = () => {
          if (!predicate()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    dispose: () => app.dispose(),
  };
}

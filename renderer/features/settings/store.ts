// Settings: a vanilla zustand store mirroring main's persisted settings (theme, terminal font, the
// production rule, close confirmations) through settings:get/set/changed, plus the theme actually
// in effect when the choice is "system".
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../../shared/domain';
import type { Api, IpcError } from '../../../shared/ipc';

export type ResolvedTheme = 'light' | 'dark';

export interface SettingsState {
  readonly settings: Settings;
  /** False until the first settings:get answered; the app shows defaults until then. */
  readonly loaded: boolean;
  /** What the OS prefers, for the "system" theme. */
  readonly systemTheme: ResolvedTheme;
  /** The last failed save, shown next to the controls. */
  readonly error: IpcError | undefined;
  readonly load: () => Promise<void>;
  /** Applies the change at once, saves it, and rolls back if main refused it. */
  readonly update: (patch: SettingsPatch) => Promise<void>;
  readonly setSystemTheme: (theme: ResolvedTheme) => void;
}

export type SettingsStore = StoreApi<SettingsState>;

export function resolveTheme(
  state: Pick<SettingsState, 'settings' | 'systemTheme'>,
): ResolvedTheme {
  return state.settings.theme === 'system' ? state.systemTheme : state.settings.theme;
}

export interface SettingsDeps {
  readonly api: Pick<Api, 'invoke' | 'on'>;
  readonly systemTheme: ResolvedTheme;
}

export function createSettingsStore(deps: SettingsDeps): SettingsStore {
  const store = createStore<SettingsState>()((set, get) => ({
    settings: DEFAULT_SETTINGS,
    loaded: false,
    systemTheme: deps.systemTheme,
    error: undefined,

    async load() {
      const result = await deps.api.invoke('settings:get', {});
      if (result.ok) set({ settings: result.value, loaded: true });
      else set({ loaded: true, error: result.error });
    },

    async update(patch) {
      const before = get().settings;
      set({ settings: { ...before, ...definedOnly(patch) }, error: undefined });
      const result = await deps.api.invoke('settings:set', patch);
      if (result.ok) set({ settings: result.value });
      else set({ settings: before, error: result.error });
    },

    setSystemTheme(theme) {
      set({ systemTheme: theme });
    },
  }));
  // Another window (or main itself) changed the settings.
  deps.api.on('settings:changed', ({ settings }) => store.setState({ settings }));
  return store;
}

function definedOnly(patch: SettingsPatch): Partial<Settings> {
  const out: { -readonly [K in keyof Settings]?: Settings[K] } = {};
  if (patch.theme !== undefined) out.theme = patch.theme;
  if (patch.fontSize !== undefined) out.fontSize = patch.fontSize;
  if (patch.fontFamily !== undefined) out.fontFamily = patch.fontFamily;
  if (patch.lineHeight !== undefined) out.lineHeight = patch.lineHeight;
  if (patch.production !== undefined) out.production = patch.production;
  if (patch.confirmEndLiveSession !== undefined)
    out.confirmEndLiveSession = patch.confirmEndLiveSession;
  return out;
}

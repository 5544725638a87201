// Settings: theme (light, dark, or follow the system) and the terminal's font, size and line
// height, saved through main; safety (which instances are production, whether ending a live
// session asks first); plus what Airlock is connected to and the keyboard shortcuts.
import { useState } from 'react';
import { useStore } from 'zustand';
import { parseRuleWords, type Theme } from '../../../shared/domain';
import { useServices } from '../../app/context';
import { SHORTCUT_HELP } from '../../app/shortcuts';
import type { SettingsStore } from './store';
import { TerminalTextSettings } from './TerminalTextSettings';
import { RecordingSettings } from '../recordings/RecordingSettings';

const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** A comma-separated list, saved when the field loses focus or on Enter. */
function WordsField(props: {
  id: string;
  label: string;
  hint: string;
  words: readonly string[];
  onSave: (words: string[]) => void;
}) {
  const shown = props.words.join(', ');
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const save = () => {
    if (draft === undefined) return;
    const words = parseRuleWords(draft);
    setDraft(undefined);
    if (words.join(', ') !== shown) props.onSave(words);
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        className="field__input"
        type="text"
        spellCheck={false}
        value={draft ?? shown}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            save();
          } else if (event.key === 'Escape' && draft !== undefined) {
            event.preventDefault();
            event.stopPropagation();
            setDraft(undefined);
          }
        }}
      />
      <span className="field__hint">{props.hint}</span>
    </div>
  );
}

type SettingsPatch = Parameters<ReturnType<SettingsStore['getState']>['update']>[0];

/** Saves a change through main; a failure shows in the Appearance card. */
function useUpdateSettings(): (patch: SettingsPatch) => void {
  const { settings } = useServices();
  return (patch) => void settings.getState().update(patch);
}

function ThemeChoice() {
  const { settings } = useServices();
  const theme = useStore(settings, (state) => state.settings.theme);
  const update = useUpdateSettings();
  return (
    <fieldset className="field">
      <legend className="field__label">Theme</legend>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {THEMES.map((option) => (
          <label
            key={option.value}
            className={`segmented__item${theme === option.value ? ' segmented__item--active' : ''}`}
          >
            <input
              type="radio"
              name="theme"
              value={option.value}
              checked={theme === option.value}
              onChange={() => update({ theme: option.value })}
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function AppearanceSection() {
  const { settings } = useServices();
  const error = useStore(settings, (state) => state.error);
  return (
    <section className="card">
      <h2 className="card__title">Appearance</h2>
      <ThemeChoice />
      <TerminalTextSettings />
      {error ? (
        <p className="banner banner--error" role="alert">
          Could not save the setting: {error.message}
        </p>
      ) : null}
    </section>
  );
}

function SafetySection() {
  const { settings } = useServices();
  const production = useStore(settings, (state) => state.settings.production);
  const confirmEnd = useStore(settings, (state) => state.settings.confirmEndLiveSession);
  const update = useUpdateSettings();
  return (
    <section className="card" aria-label="Safety">
      <h2 className="card__title">Safety</h2>
      <p className="field__hint">
        An instance is marked production (red PROD label on its row, tab, terminal frame and
        forwards) when one of these tag keys has one of these values, compared whole and in any case
        (so preprod is not prod), or when its profile is marked production under Sources.
      </p>
      <WordsField
        id="production-tag-keys"
        label="Production tag keys"
        hint="Comma-separated, e.g. Env, Environment, Stage"
        words={production.tagKeys}
        onSave={(tagKeys) => update({ production: { ...production, tagKeys } })}
      />
      <WordsField
        id="production-tag-values"
        label="Production tag values"
        hint="Comma-separated, e.g. prod, production"
        words={production.tagValues}
        onSave={(tagValues) => update({ production: { ...production, tagValues } })}
      />
      <p className="field__hint" data-testid="production-profiles">
        {production.profiles.length === 0
          ? 'No profile is marked production.'
          : `Profiles marked production: ${production.profiles.join(', ')}.`}
      </p>
      <label className="field field--check">
        <input
          type="checkbox"
          checked={confirmEnd}
          onChange={(event) => update({ confirmEndLiveSession: event.target.checked })}
        />
        Ask before closing a tab or ending a session that is still running
      </label>
    </section>
  );
}

/** What Airlock is connected to; shown once main has said. */
function ConnectionSection() {
  const { app } = useServices();
  const info = useStore(app, (state) => state.info);
  if (!info) return null;
  return (
    <section className="card">
      <h2 className="card__title">Connection</h2>
      <dl className="details__facts">
        <div className="details__fact">
          <dt>Connected to</dt>
          <dd>{info.backend.label}</dd>
        </div>
        <div className="details__fact">
          <dt>Details</dt>
          <dd>{info.backend.detail}</dd>
        </div>
        {info.sources.map((source) => (
          <div className="details__fact" key={source.id}>
            <dt>{source.label}</dt>
            <dd>{source.regions.join(', ') || 'default region'}</dd>
          </div>
        ))}
        <div className="details__fact">
          <dt>Version</dt>
          <dd>
            {info.name} {info.version} ({info.mode === 'browser' ? 'browser mode' : 'desktop'})
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ShortcutsSection() {
  return (
    <section className="card">
      <h2 className="card__title">Keyboard shortcuts</h2>
      <dl className="shortcuts">
        {SHORTCUT_HELP.map(([keys, action]) => (
          <div className="shortcuts__row" key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export function SettingsView() {
  return (
    <div className="settings">
      <AppearanceSection />
      <SafetySection />
      <RecordingSettings />
      <ConnectionSection />
      <ShortcutsSection />
    </div>
  );
}

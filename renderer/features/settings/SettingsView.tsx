// Settings: theme (light, dark, or follow the system) and terminal font size, saved through main;
// plus what Airlock is connected to and the keyboard shortcuts.
import { useStore } from 'zustand';
import { FONT_SIZE_MAX, FONT_SIZE_MIN, type Theme } from '../../../shared/domain';
import { useServices } from '../../app/context';
import { SHORTCUT_HELP } from '../../app/shortcuts';

const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function SettingsView() {
  const { settings, app } = useServices();
  const theme = useStore(settings, (state) => state.settings.theme);
  const fontSize = useStore(settings, (state) => state.settings.fontSize);
  const error = useStore(settings, (state) => state.error);
  const info = useStore(app, (state) => state.info);
  const update = (patch: Parameters<ReturnType<typeof settings.getState>['update']>[0]) =>
    void settings.getState().update(patch);

  return (
    <div className="settings">
      <section className="card">
        <h2 className="card__title">Appearance</h2>
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
        <div className="field">
          <label className="field__label" htmlFor="font-size">
            Terminal font size
          </label>
          <div className="stepper">
            <button
              type="button"
              className="button"
              aria-label="Smaller"
              disabled={fontSize <= FONT_SIZE_MIN}
              onClick={() => update({ fontSize: fontSize - 1 })}
            >
              −
            </button>
            <input
              id="font-size"
              className="field__input stepper__value"
              type="number"
              min={FONT_SIZE_MIN}
              max={FONT_SIZE_MAX}
              value={fontSize}
              onChange={(event) => {
                const value = Number(event.target.value);
                if (Number.isInteger(value) && value >= FONT_SIZE_MIN && value <= FONT_SIZE_MAX) {
                  update({ fontSize: value });
                }
              }}
            />
            <button
              type="button"
              className="button"
              aria-label="Larger"
              disabled={fontSize >= FONT_SIZE_MAX}
              onClick={() => update({ fontSize: fontSize + 1 })}
            >
              +
            </button>
            <span className="field__hint">
              {FONT_SIZE_MIN}–{FONT_SIZE_MAX} px
            </span>
          </div>
        </div>
        {error ? (
          <p className="banner banner--error" role="alert">
            Could not save the setting: {error.message}
          </p>
        ) : null}
      </section>
      {info ? (
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
      ) : null}
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
    </div>
  );
}

// The terminal's text settings: font family (any installed font, backed by the bundled one), font
// size and line height. Each field checks its value with the same schema main validates with, and
// an invalid value stays in the field with its error tied to it (aria-invalid, aria-describedby).
import { useState } from 'react';
import { useStore } from 'zustand';
import {
  FONT_SIZE_MAX,
  FONT_SIZE_MIN,
  FontFamilySchema,
  LINE_HEIGHT_MAX,
  LINE_HEIGHT_MIN,
  LineHeightSchema,
  type SettingsPatch,
} from '../../../shared/domain';
import { useServices } from '../../app/context';

/** Well-known monospace fonts offered as suggestions; any installed font name works. */
const SUGGESTED_FONTS = [
  'JetBrains Mono',
  'Fira Code',
  'Cascadia Mono',
  'Source Code Pro',
  'DejaVu Sans Mono',
  'Ubuntu Mono',
  'Menlo',
  'Consolas',
];

function useSettingsUpdate(): (patch: SettingsPatch) => void {
  const { settings } = useServices();
  return (patch) => void settings.getState().update(patch);
}

/**
 * A text field that keeps a draft while typed and saves it on blur or Enter once `parse` accepts
 * it; Escape drops the draft. A refused draft stays, with the reason below the field.
 */
function DraftField(props: {
  id: string;
  label: string;
  hint: string;
  saved: string;
  inputProps: React.InputHTMLAttributes<HTMLInputElement>;
  parse: (draft: string) => { ok: true; save: () => void } | { ok: false; message: string };
}) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const commit = () => {
    if (draft === undefined) return;
    const parsed = props.parse(draft);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setDraft(undefined);
    setError(undefined);
    parsed.save();
  };
  return (
    <div className="field">
      <label className="field__label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        {...props.inputProps}
        id={props.id}
        className="field__input settings__text-input"
        value={draft ?? props.saved}
        aria-invalid={error !== undefined}
        aria-describedby={error !== undefined ? `${errorId} ${hintId}` : hintId}
        onChange={(event) => {
          setDraft(event.target.value);
          setError(undefined);
        }}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault();
            commit();
          } else if (event.key === 'Escape' && draft !== undefined) {
            event.preventDefault();
            event.stopPropagation();
            setDraft(undefined);
            setError(undefined);
          }
        }}
      />
      {error !== undefined ? (
        <span className="field__error" id={errorId}>
          {error}
        </span>
      ) : null}
      <span className="field__hint" id={hintId}>
        {props.hint}
      </span>
    </div>
  );
}

function FontFamilyField() {
  const { settings } = useServices();
  const fontFamily = useStore(settings, (state) => state.settings.fontFamily);
  const update = useSettingsUpdate();
  return (
    <>
      <DraftField
        id="font-family"
        label="Terminal font"
        hint="Any installed font; JetBrains Mono comes with Airlock and fills in what a font lacks."
        saved={fontFamily}
        inputProps={{ type: 'text', spellCheck: false, list: 'font-family-suggestions' }}
        parse={(draft) => {
          const parsed = FontFamilySchema.safeParse(draft);
          if (!parsed.success) {
            return { ok: false, message: parsed.error.issues[0]?.message ?? 'Not a font name.' };
          }
          return {
            ok: true,
            save: () => {
              if (parsed.data !== fontFamily) update({ fontFamily: parsed.data });
            },
          };
        }}
      />
      <datalist id="font-family-suggestions">
        {SUGGESTED_FONTS.map((font) => (
          <option key={font} value={font} />
        ))}
      </datalist>
    </>
  );
}

function FontSizeStepper() {
  const { settings } = useServices();
  const fontSize = useStore(settings, (state) => state.settings.fontSize);
  const update = useSettingsUpdate();
  return (
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
          aria-describedby="font-size-hint"
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
        <span className="field__hint" id="font-size-hint">
          {FONT_SIZE_MIN}–{FONT_SIZE_MAX} px
        </span>
      </div>
    </div>
  );
}

function LineHeightField() {
  const { settings } = useServices();
  const lineHeight = useStore(settings, (state) => state.settings.lineHeight);
  const update = useSettingsUpdate();
  return (
    <DraftField
      id="line-height"
      label="Terminal line height"
      hint={`${LINE_HEIGHT_MIN}–${LINE_HEIGHT_MAX} times the font size; lower would cut off underscores.`}
      saved={String(lineHeight)}
      inputProps={{ type: 'number', step: 0.05, min: LINE_HEIGHT_MIN, max: LINE_HEIGHT_MAX }}
      parse={(draft) => {
        const value = Number(draft);
        const parsed = LineHeightSchema.safeParse(draft.trim() === '' ? Number.NaN : value);
        if (!parsed.success) {
          return {
            ok: false,
            message: `Enter a number from ${LINE_HEIGHT_MIN} to ${LINE_HEIGHT_MAX}.`,
          };
        }
        return {
          ok: true,
          save: () => {
            if (parsed.data !== lineHeight) update({ lineHeight: parsed.data });
          },
        };
      }}
    />
  );
}

/** The three terminal text fields, for the Appearance card. */
export function TerminalTextSettings() {
  return (
    <>
      <FontFamilyField />
      <FontSizeStepper />
      <LineHeightField />
    </>
  );
}

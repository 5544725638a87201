// The Recording card of Settings: record every session (off by default), include typed input
// (off by default), the size limit of one recording and how many recordings are kept.
import { useStore } from 'zustand';
import {
  RECORDING_MAX_MEGABYTES_MAX,
  RECORDING_MAX_MEGABYTES_MIN,
  RECORDINGS_KEPT_MAX,
  RECORDINGS_KEPT_MIN,
  type SettingsPatch,
} from '../../../shared/domain';
import { useServices } from '../../app/context';

function NumberField(props: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        className="field__input recordings__number"
        type="number"
        min={props.min}
        max={props.max}
        value={props.value}
        onChange={(event) => {
          const value = Number(event.target.value);
          if (Number.isInteger(value) && value >= props.min && value <= props.max) {
            props.onChange(value);
          }
        }}
      />
    </div>
  );
}

export function RecordingSettings() {
  const { settings, recordings } = useServices();
  const current = useStore(settings, (state) => state.settings);
  const folder = useStore(recordings, (state) => state.folder);
  const update = (patch: SettingsPatch) => void settings.getState().update(patch);
  return (
    <section className="card" aria-label="Recording">
      <h2 className="card__title">Recording</h2>
      <p className="field__hint">
        Recordings keep everything a terminal showed, secrets printed on screen included, as
        asciicast files readable only by you{folder ? ` in ${folder}` : ''}.
      </p>
      <label className="field field--check">
        <input
          type="checkbox"
          checked={current.recordSessions}
          onChange={(event) => update({ recordSessions: event.target.checked })}
        />
        Record every terminal session
      </label>
      <label className="field field--check">
        <input
          type="checkbox"
          checked={current.recordInput}
          onChange={(event) => update({ recordInput: event.target.checked })}
        />
        Include what is typed (passwords typed at a prompt too)
      </label>
      <NumberField
        id="recording-max-megabytes"
        label="Largest recording (MB)"
        value={current.recordingMaxMegabytes}
        min={RECORDING_MAX_MEGABYTES_MIN}
        max={RECORDING_MAX_MEGABYTES_MAX}
        onChange={(value) => update({ recordingMaxMegabytes: value })}
      />
      <NumberField
        id="recordings-kept"
        label="Recordings kept (the oldest are deleted)"
        value={current.recordingsKept}
        min={RECORDINGS_KEPT_MIN}
        max={RECORDINGS_KEPT_MAX}
        onChange={(value) => update({ recordingsKept: value })}
      />
    </section>
  );
}

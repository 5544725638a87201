// The Recordings view: the local session recordings, newest first, each with Play, Export and
// Delete; the chosen one plays below the list. Recordings are made in main (Settings, Recording).
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { RecordingView } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { formatWhen } from '../../lib/words';
import { useModals } from '../../ui/ModalHost';
import { formatBytes } from '../forwards/format';
import { parseCast, type Cast } from './cast';
import { Player } from './Player';

type Playing =
  | { readonly state: 'none' }
  | { readonly state: 'loading'; readonly id: string }
  | { readonly state: 'ready'; readonly id: string; readonly cast: Cast }
  | { readonly state: 'failed'; readonly id: string; readonly message: string };

function RecordingRow(props: {
  recording: RecordingView;
  selected: boolean;
  onPlay: () => void;
  onExport: () => void;
  onDelete: () => void;
}) {
  const { recording } = props;
  return (
    <li
      className={`recordings__row${props.selected ? ' recordings__row--selected' : ''}`}
      data-testid="recording-row"
      data-recording-id={recording.id}
    >
      <span className="recordings__title">
        {recording.title}
        {recording.active ? <span className="recording-mark">REC</span> : null}
      </span>
      <span className="recordings__meta">
        {formatWhen(recording.startedAt)} · {formatBytes(recording.bytes)}
        {recording.truncated ? ' · stopped at the size limit' : ''}
        {recording.includesInput ? ' · with typed input' : ''}
      </span>
      <span className="recordings__actions">
        <button type="button" className="button" onClick={props.onPlay}>
          Play
        </button>
        <button type="button" className="button" onClick={props.onExport}>
          Export
        </button>
        <button type="button" className="button button--danger" onClick={props.onDelete}>
          Delete
        </button>
      </span>
    </li>
  );
}

export function RecordingsView() {
  const { recordings, settings } = useServices();
  const { confirm } = useModals();
  const list = useStore(recordings, (state) => state.recordings);
  const folder = useStore(recordings, (state) => state.folder);
  const loaded = useStore(recordings, (state) => state.loaded);
  const error = useStore(recordings, (state) => state.error);
  const recordingOn = useStore(settings, (state) => state.settings.recordSessions);
  const [playing, setPlaying] = useState<Playing>({ state: 'none' });

  useEffect(() => {
    void recordings.getState().fetch();
  }, [recordings]);

  const play = async (recording: RecordingView) => {
    setPlaying({ state: 'loading', id: recording.id });
    const text = await recordings.getState().read(recording.id);
    if (text === undefined) {
      setPlaying({ state: 'failed', id: recording.id, message: 'It could not be read.' });
      return;
    }
    try {
      setPlaying({ state: 'ready', id: recording.id, cast: parseCast(text) });
    } catch (problem) {
      setPlaying({ state: 'failed', id: recording.id, message: (problem as Error).message });
    }
  };

  const remove = async (recording: RecordingView) => {
    const sure = await confirm({
      title: 'Delete recording',
      message: `Delete the recording of ${recording.title}? The file is removed for good.`,
      confirmLabel: 'Delete recording',
      danger: true,
    });
    if (!sure) return;
    if (playing.state !== 'none' && playing.id === recording.id) setPlaying({ state: 'none' });
    await recordings.getState().remove(recording.id);
  };

  return (
    <div className="recordings">
      <p className="field__hint">
        {recordingOn
          ? 'Every terminal session is recorded.'
          : 'Recording is off; turn it on in Settings.'}{' '}
        Recordings hold whatever the terminal showed, secrets included
        {folder ? `, and are kept in ${folder}` : ''}.
      </p>
      {error ? (
        <div className="banner banner--error" role="alert">
          Could not list recordings: {error}
        </div>
      ) : null}
      {loaded && list.length === 0 && !error ? (
        <p className="recordings__empty">No recordings yet.</p>
      ) : null}
      <ul className="recordings__list" aria-label="Recordings">
        {list.map((recording) => (
          <RecordingRow
            key={recording.id}
            recording={recording}
            selected={playing.state !== 'none' && playing.id === recording.id}
            onPlay={() => void play(recording)}
            onExport={() => void recordings.getState().exportRecording(recording)}
            onDelete={() => void remove(recording)}
          />
        ))}
      </ul>
      {playing.state === 'loading' ? <p className="field__hint">Loading the recording…</p> : null}
      {playing.state === 'failed' ? (
        <div className="banner banner--error" role="alert">
          Cannot play this recording: {playing.message}
        </div>
      ) : null}
      {playing.state === 'ready' ? <Player key={playing.id} cast={playing.cast} /> : null}
    </div>
  );
}

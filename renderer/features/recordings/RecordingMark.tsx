// The "recording" mark a terminal tab shows while its session is being recorded.
import { useStore } from 'zustand';
import { useServices } from '../../app/context';

export function RecordingMark(props: { sessionId: string | undefined }) {
  const { recordings } = useServices();
  const { sessionId } = props;
  const recording = useStore(recordings, (state) =>
    sessionId === undefined
      ? false
      : state.recordings.some((entry) => entry.active && entry.sessionId === sessionId),
  );
  if (!recording) return null;
  return (
    <span
      className="recording-mark"
      data-testid="recording-mark"
      title="This session is being recorded"
    >
      <span className="recording-mark__dot" aria-hidden="true" />
      REC
    </span>
  );
}

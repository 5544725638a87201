// Confirms an upload (files dropped on a terminal, or picked with "Upload file…"): the files with
// their sizes, and where on the instance they go: the home directory unless the user edits it.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { formatBytes } from '../forwards/format';
import { DEFAULT_UPLOAD_DESTINATION, type PendingUpload } from './store';

function UploadForm({ pending, onClose }: { pending: PendingUpload; onClose: () => void }) {
  const { files } = useServices();
  const [destination, setDestination] = useState(DEFAULT_UPLOAD_DESTINATION);
  const destinationId = useId();
  const hintId = useId();
  const count = pending.files.length;
  const total = pending.files.reduce((sum, file) => sum + file.size, 0);
  const ready = destination.trim() !== '';

  return (
    <Dialog
      title={<>Upload to {pending.target.label}</>}
      className="upload-dialog"
      onCancel={onClose}
      onSubmit={(event) => {
        event.preventDefault();
        if (!ready) return;
        onClose();
        void files.getState().upload(pending.target, pending.files, destination.trim());
      }}
    >
      <p className="dialog__description">
        {count === 1 ? 'One file' : `${count} files`}, {formatBytes(total)} in all. Each is checked
        with SHA-256 on the instance before it takes its name; an existing file is replaced only
        after you confirm.
      </p>
      <ul className="upload-dialog__files" data-testid="upload-files">
        {pending.files.map((file, index) => (
          <li key={`${index}:${file.name}`}>
            <span className="mono">{file.name}</span>
            <span className="muted">{formatBytes(file.size)}</span>
          </li>
        ))}
      </ul>
      <div className="field">
        <label className="field__label" htmlFor={destinationId}>
          Destination on the instance
        </label>
        <input
          id={destinationId}
          className="field__input mono"
          value={destination}
          aria-describedby={hintId}
          autoFocus
          spellCheck={false}
          onChange={(event) => setDestination(event.currentTarget.value)}
        />
        <span id={hintId} className="field__hint">
          A directory (the files keep their names) or, for one file, a full path. ~ is your home
          directory there.
        </span>
      </div>
      <DialogActions onCancel={onClose} submit="Upload" submitDisabled={!ready} />
    </Dialog>
  );
}

/** Shows the dialog while an upload waits for confirmation (files store's `pending`). */
export function UploadDialog() {
  const { files } = useServices();
  const pending = useStore(files, (state) => state.pending);
  if (!pending) return null;
  return <UploadForm pending={pending} onClose={() => files.getState().closePending()} />;
}

// "Upload file…" and "Download…" in an instance's details. Uploads go through the same confirm
// dialog as a drop on a terminal; a download asks for the path on the instance and lands in the
// Downloads folder. Windows instances get the PowerShell scripts (main chooses by platform).
import { useId, useRef, useState } from 'react';
import type { Instance } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Dialog, DialogActions } from '../../ui/Dialog';
import type { FilesTarget } from './store';

function DownloadDialog({ target, onClose }: { target: FilesTarget; onClose: () => void }) {
  const { files } = useServices();
  const [remotePath, setRemotePath] = useState('~/');
  const pathId = useId();
  const ready = remotePath.trim() !== '' && !remotePath.trim().endsWith('/');
  return (
    <Dialog
      title={<>Download from {target.label}</>}
      onCancel={onClose}
      onSubmit={(event) => {
        event.preventDefault();
        if (!ready) return;
        onClose();
        void files.getState().download(target, remotePath.trim());
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor={pathId}>
          File on the instance
        </label>
        <input
          id={pathId}
          className="field__input mono"
          value={remotePath}
          autoFocus
          spellCheck={false}
          onChange={(event) => setRemotePath(event.currentTarget.value)}
        />
        <span className="field__hint">
          A full path, or ~/ for your home directory there. It is saved in your Downloads folder,
          under a new name if that one is taken.
        </span>
      </div>
      <DialogActions onCancel={onClose} submit="Download" submitDisabled={!ready} />
    </Dialog>
  );
}

export function FileActions({ instance }: { readonly instance: Instance }) {
  const { files } = useServices();
  const picker = useRef<HTMLInputElement>(null);
  const [asking, setAsking] = useState(false);
  const target: FilesTarget = {
    instanceId: instance.instanceId,
    sourceId: instance.sourceId,
    region: instance.region,
    label: instance.name || instance.instanceId,
  };
  return (
    <div className="details__actions" data-testid="file-actions">
      <button
        type="button"
        className="button"
        title="Copy files from this computer to the instance"
        onClick={() => picker.current?.click()}
      >
        Upload file…
      </button>
      <button
        type="button"
        className="button"
        title="Copy a file from the instance to your Downloads folder"
        onClick={() => setAsking(true)}
      >
        Download…
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="upload-picker"
        onChange={(event) => {
          const picked = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          files.getState().askUpload(target, picked);
        }}
      />
      {asking ? <DownloadDialog target={target} onClose={() => setAsking(false)} /> : null}
    </div>
  );
}

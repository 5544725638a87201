// "Export as profile" for an Identity Center pair: the user names the profile, sees the exact
// section that would be appended to the AWS config file (and whether the name is taken), and only
// then writes it. Airlock never replaces a profile: a taken name is refused by main too.
import { useEffect, useId, useState } from 'react';
import { useServices } from '../../app/context';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { suggestedProfileName, type SsoExportAnswer } from './identity-center';

export interface SsoExportTarget {
  readonly session: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly roleName: string;
}

export function SsoExportDialog(props: { target: SsoExportTarget; onClose: () => void }) {
  const { target, onClose } = props;
  const { sources } = useServices();
  const nameId = useId();
  const [name, setName] = useState(() => suggestedProfileName(target.accountName, target.roleName));
  const [preview, setPreview] = useState<SsoExportAnswer | undefined>(undefined);
  const [writing, setWriting] = useState(false);
  const [outcome, setOutcome] = useState<
    { ok: true; file: string } | { ok: false; message: string }
  >();

  useEffect(() => {
    let current = true;
    setPreview(undefined);
    setOutcome(undefined);
    if (name.trim() === '') return;
    void sources
      .getState()
      .previewExport({ ...target, name: name.trim() })
      .then((answer) => {
        if (current) setPreview(answer);
      });
    return () => {
      current = false;
    };
  }, [sources, target, name]);

  const conflict = preview?.ok === true ? preview.value.conflict : undefined;
  const ready = preview?.ok === true && conflict === undefined && !writing && outcome === undefined;

  const write = async () => {
    setWriting(true);
    const answer = await sources.getState().exportProfile({ ...target, name: name.trim() });
    setWriting(false);
    setOutcome(answer.ok ? { ok: true, file: answer.value.file } : answer);
  };

  return (
    <Dialog
      title={<>Export as profile</>}
      className="sso-export-dialog"
      onCancel={onClose}
      closeOnBackdrop
      onSubmit={(event) => {
        event.preventDefault();
        if (ready) void write();
      }}
    >
      <p className="dialog__description">
        Adds {target.accountName} ({target.accountId}) as {target.roleName} to your AWS config file
        as a profile the AWS CLI can use. Nothing is written until you choose Write profile.
      </p>
      <label htmlFor={nameId}>Profile name</label>
      <input
        id={nameId}
        className="field__input mono"
        value={name}
        autoFocus
        spellCheck={false}
        onChange={(event) => setName(event.target.value)}
      />
      {preview?.ok === false ? (
        <p className="banner banner--error" role="alert">
          {preview.message}
        </p>
      ) : null}
      {preview?.ok === true ? (
        <>
          <p className="muted">
            Appended to <span className="mono">{preview.value.file}</span>:
          </p>
          <pre className="sso-export-dialog__preview mono" data-testid="sso-export-preview">
            {preview.value.text}
          </pre>
        </>
      ) : null}
      {conflict ? (
        <p className="banner banner--warning" role="alert">
          {conflict}
        </p>
      ) : null}
      {outcome?.ok === true ? (
        <p className="banner" role="status">
          Profile {name.trim()} was added to {outcome.file}.
        </p>
      ) : null}
      {outcome?.ok === false ? (
        <p className="banner banner--error" role="alert">
          {outcome.message}
        </p>
      ) : null}
      <DialogActions
        onCancel={onClose}
        cancelLabel={outcome?.ok === true ? 'Close' : 'Cancel'}
        submit={writing ? 'Writing…' : 'Write profile'}
        submitDisabled={!ready}
      />
    </Dialog>
  );
}

// The MFA prompt: main asked for a code (sources:mfa-requested, from anywhere: a check, a terminal
// being opened), so this asks the user for the six digits of the named device. Confirm answers it,
// Cancel or Escape answers with no code; sources:mfa-settled closes it when answered elsewhere. A
// refused code comes back as a new prompt carrying the reason, so the user can try the next code.
import { useId, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { SourcesMfaRequested } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import type { SourcesStore } from './store';
import { Dialog, DialogActions } from '../../ui/Dialog';
import { countOf } from '../../lib/words';

const CODE_PATTERN = /^\d{6}$/;

function MfaPrompt({ prompt, store }: { prompt: SourcesMfaRequested; store: SourcesStore }) {
  const codeId = useId();
  const [code, setCode] = useState('');
  const [sending, setSending] = useState(false);
  const answerError = useStore(store, (state) => state.mfaError);
  const error = answerError ?? prompt.retryReason;
  const waiting = useStore(store, (state) => state.mfaPrompts.length - 1);
  const { promptId } = prompt;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!CODE_PATTERN.test(code) || sending) return;
    setSending(true);
    await store.getState().answerMfa(promptId, code);
    setSending(false);
  };

  return (
    <Dialog
      title={<>MFA code for {prompt.profile}</>}
      className="mfa-dialog"
      onCancel={() => void store.getState().answerMfa(promptId)}
      onSubmit={(event) => void submit(event)}
    >
      <p className="dialog__description">
        Enter the current code of the MFA device{' '}
        <span className="mono mfa-dialog__serial">{prompt.mfaSerial}</span>.
      </p>
      <div className="field">
        <label className="field__label" htmlFor={codeId}>
          MFA code
        </label>
        <input
          id={codeId}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${codeId}-error ${codeId}-hint` : `${codeId}-hint`}
          className="field__input mono mfa-dialog__code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          autoFocus
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
        />
        <span className="field__hint" id={`${codeId}-hint`}>
          Six digits
        </span>
      </div>
      {error ? (
        <p className="banner banner--error" role="alert" id={`${codeId}-error`}>
          {error}
        </p>
      ) : null}
      {waiting > 0 ? (
        <p className="muted">
          {countOf(waiting, 'more prompt', 'more prompts')} waiting after this one.
        </p>
      ) : null}
      <DialogActions
        onCancel={() => void store.getState().answerMfa(promptId)}
        submit={sending ? 'Confirming…' : 'Confirm'}
        submitDisabled={!CODE_PATTERN.test(code) || sending}
      />
    </Dialog>
  );
}

/** Shows the oldest waiting MFA prompt, wherever it came from. */
export function MfaDialog() {
  const { sources } = useServices();
  const prompt = useStore(sources, (state) => state.mfaPrompts[0]);
  if (!prompt) return null;
  // Keyed by prompt: a new prompt starts with an empty field.
  return <MfaPrompt key={prompt.promptId} prompt={prompt} store={sources} />;
}

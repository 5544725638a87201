// "Approve sign-in to the Local sandbox?": someone started an IAM Identity Center login at the app's
// built-in sandbox (sources:sandbox-sign-in-requested). A device login goes through only on a click on
// Approve; an authorization-code (browser) one only when the code shown here is typed on its sign-in
// page, so this prompt can only deny it. Whoever gets the login can open shells as this user; Deny,
// Escape or an unanswered prompt refuse.
import { useEffect, useState } from 'react';
import type { SourcesSandboxSignInRequested } from '../../../shared/ipc';
import { useServices } from '../../app/context';
import { Dialog } from '../../ui/Dialog';

export function SandboxSignInDialog() {
  const { api } = useServices();
  const [prompts, setPrompts] = useState<readonly SourcesSandboxSignInRequested[]>([]);
  const [error, setError] = useState<string>();
  const prompt = prompts[0];

  useEffect(() => {
    const drop = (promptId: string) =>
      setPrompts((all) => all.filter((p) => p.promptId !== promptId));
    const disposers = [
      api.on('sources:sandbox-sign-in-requested', (request) =>
        setPrompts((all) =>
          all.some((p) => p.promptId === request.promptId) ? all : [...all, request],
        ),
      ),
      api.on('sources:sandbox-sign-in-settled', ({ promptId }) => drop(promptId)),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  }, [api]);

  const answer = async (promptId: string, approve: boolean) => {
    const result = await api.invoke('sources:sandbox-sign-in-answer', { promptId, approve });
    // Answered here, or already settled elsewhere: either way this prompt is done.
    setPrompts((all) => all.filter((p) => p.promptId !== promptId));
    setError(result.ok ? undefined : result.error.message);
  };

  if (!prompt) {
    return error ? (
      <p className="banner banner--error" role="alert">
        {error}
      </p>
    ) : null;
  }
  if (prompt.flow === 'authorization-code') {
    return (
      <Dialog
        title="Sign-in to the Local sandbox"
        className="sandbox-sign-in-dialog"
        onCancel={() => void answer(prompt.promptId, false)}
      >
        <p className="dialog__description">
          A program on this computer ({prompt.clientName}) asks to sign in to the Local sandbox with
          IAM Identity Center. If you started this sign-in, enter this code on the sign-in page in
          your browser; it can open shells that run as you.
        </p>
        <p className="sso-dialog__code mono" data-testid="sandbox-sign-in-code">
          {prompt.userCode}
        </p>
        <p className="muted">Did not start it? Deny it; without this code it cannot go ahead.</p>
        <div className="dialog__actions">
          <button
            type="button"
            className="button"
            autoFocus
            onClick={() => void answer(prompt.promptId, false)}
          >
            Deny
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      title="Approve sign-in to the Local sandbox?"
      className="sandbox-sign-in-dialog"
      // Escape (handled by the modal host) denies, like the Deny button.
      onCancel={() => void answer(prompt.promptId, false)}
    >
      <p className="dialog__description">
        A program on this computer asks to sign in to the Local sandbox with IAM Identity Center.
        Approve it only if you started this sign-in: it can open shells that run as you.
      </p>
      <p>
        The program should show the code{' '}
        <span className="mono" data-testid="sandbox-sign-in-code">
          {prompt.userCode}
        </span>{' '}
        ({prompt.clientName}).
      </p>
      <div className="dialog__actions">
        <button
          type="button"
          className="button"
          autoFocus
          onClick={() => void answer(prompt.promptId, false)}
        >
          Deny
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => void answer(prompt.promptId, true)}
        >
          Approve
        </button>
      </div>
    </Dialog>
  );
}

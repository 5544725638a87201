// IAM Identity Center sign-in: while main waits for the user to approve the device login in the
// browser (sources:login-started), this shows the code the sign-in page must show and a link to that
// page. It closes by itself when the sources:login call settles; Close only hides it.
import { useId } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { formatClock } from './store';
import { Dialog } from '../../ui/Dialog';

export function SsoLoginDialog() {
  const { sources } = useServices();
  const signIn = useStore(sources, (state) => state.signIn);
  const titleId = useId();

  if (!signIn) return null;
  const href = signIn.verificationUriComplete ?? signIn.verificationUri;
  const expires = formatClock(signIn.expiresAt);

  return (
    <Dialog
      title={<>Sign in to {signIn.profile}</>}
      className="sso-dialog"
      onCancel={() => sources.getState().dismissLogin()}
      describedBy={`${titleId}-how`}
    >
      <p className="dialog__description" id={`${titleId}-how`}>
        Approve the sign-in in your browser. Check that the page shows this code:
      </p>
      <p className="sso-dialog__code mono" data-testid="sso-user-code">
        {signIn.userCode}
      </p>
      <p>
        <a className="button button--primary" href={href} target="_blank" rel="noopener">
          Open sign-in page
        </a>
      </p>
      <p className="muted">
        This window closes by itself once the sign-in is approved
        {expires ? `; the code works until ${expires}` : ''}.
      </p>
      <div className="dialog__actions">
        <button type="button" className="button" onClick={() => sources.getState().dismissLogin()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

// IAM Identity Center sign-in in progress. For the browser sign-in (sources:browser-login-started)
// it names the session, offers to open or copy the sign-in page, to use a code instead and to
// cancel; for the device code (sources:login-started) it shows the code the sign-in page must show.
// It closes by itself when the sources:login call settles; Cancel ends the login in main, Close (the
// device dialog) only hides it.
import { useId, useState } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../app/context';
import { Dialog } from '../../ui/Dialog';
import type { SignInPrompt } from './sign-in';
import { formatClock } from './store';

type Prompt<F extends SignInPrompt['flow']> = Extract<SignInPrompt, { flow: F }>;

function BrowserSignIn({ signIn }: { readonly signIn: Prompt<'browser'> }) {
  const { sources } = useServices();
  const titleId = useId();
  const [copied, setCopied] = useState<boolean>();
  const expires = formatClock(signIn.expiresAt);
  const cancel = () => void sources.getState().cancelLogin(signIn.profile);

  return (
    <Dialog
      title={<>Sign in to {signIn.profile}</>}
      className="sso-dialog"
      // Escape cancels the sign-in: this dialog is the only place it can be seen or ended.
      onCancel={cancel}
      describedBy={`${titleId}-how`}
    >
      <p className="dialog__description" id={`${titleId}-how`}>
        Finish signing in on the IAM Identity Center page in your browser. Airlock goes on by itself
        once the page sends you back.
      </p>
      <dl className="sso-dialog__target">
        {signIn.session !== undefined && (
          <>
            <dt>SSO session</dt>
            <dd data-testid="sso-session">{signIn.session}</dd>
          </>
        )}
        <dt>Start URL</dt>
        <dd className="mono" data-testid="sso-start-url">
          {signIn.startUrl}
        </dd>
      </dl>
      <p className="sso-dialog__links">
        <a
          className="button button--primary"
          href={signIn.signInUrl}
          target="_blank"
          rel="noopener"
        >
          Open sign-in page
        </a>{' '}
        <button
          type="button"
          className="button"
          onClick={() => void sources.getState().copySignInLink().then(setCopied)}
        >
          Copy link
        </button>
      </p>
      {copied !== undefined && (
        <p className="muted" role="status">
          {copied ? 'Link copied.' : 'The clipboard refused the link; open the page instead.'}
        </p>
      )}
      <p className="muted">
        The page did not open, or the browser is on another computer? Use a code instead
        {expires ? `. This sign-in waits until ${expires}` : ''}.
      </p>
      <div className="dialog__actions">
        <button
          type="button"
          className="button"
          onClick={() => void sources.getState().useCodeInstead(signIn.profile)}
        >
          Use a code instead
        </button>
        <button type="button" className="button" onClick={cancel}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

function DeviceSignIn({ signIn }: { readonly signIn: Prompt<'device'> }) {
  const { sources } = useServices();
  const titleId = useId();
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
        <button
          type="button"
          className="button"
          onClick={() => void sources.getState().cancelLogin(signIn.profile)}
        >
          Cancel sign-in
        </button>
        <button type="button" className="button" onClick={() => sources.getState().dismissLogin()}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

export function SsoLoginDialog() {
  const { sources } = useServices();
  const signIn = useStore(sources, (state) => state.signIn);
  if (!signIn) return null;
  // Keyed by flow, so switching to a code starts the device dialog afresh.
  return signIn.flow === 'browser' ? (
    <BrowserSignIn key="browser" signIn={signIn} />
  ) : (
    <DeviceSignIn key="device" signIn={signIn} />
  );
}

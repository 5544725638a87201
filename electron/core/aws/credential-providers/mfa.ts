// MFA codes for AssumeRole: asked of the user only in interactive work, checked for form, and
// asked again when STS refuses one (a mistyped or just-expired code is common), up to MFA_ATTEMPTS.
import type { Logger } from '../../base/logger';
import { CredentialsError } from '../credentials-error';

export type MfaPrompt = (request: {
  profile: string;
  mfaSerial: string;
  /** Set when asking again: why the previous code was refused. */
  retryReason?: string;
}) => Promise<string | undefined>;

/** Codes asked for in one sign-in before a refused code ends it. */
export const MFA_ATTEMPTS = 3;

export interface MfaCodeRequest {
  profile: string;
  mfaSerial: string;
  /** Absent when nobody can be asked (e.g. the CLI without a terminal). */
  prompt: MfaPrompt | undefined;
  interactive: boolean;
  logger: Logger;
}

async function askForCode(
  request: MfaCodeRequest,
  retryReason: string | undefined,
): Promise<string> {
  const { profile, mfaSerial, prompt } = request;
  if (!prompt || !request.interactive) {
    throw new CredentialsError(
      'mfa-required',
      profile,
      `Profile "${profile}" needs an MFA code for ${mfaSerial}; enter it in Airlock.`,
    );
  }
  const answer = (
    await prompt({ profile, mfaSerial, ...(retryReason !== undefined && { retryReason }) })
  )?.trim();
  if (!answer) {
    throw new CredentialsError(
      'mfa-required',
      profile,
      `Profile "${profile}" needs an MFA code for ${mfaSerial}; the prompt was cancelled.`,
    );
  }
  if (!/^\d{6}$/.test(answer)) {
    throw new CredentialsError(
      'mfa-invalid',
      profile,
      `The MFA code for profile "${profile}" must be 6 digits.`,
    );
  }
  return answer;
}

/** Runs `attempt` with a code from the user, asking again while STS refuses codes as `mfa-invalid`. */
export async function withMfaCode<T>(
  request: MfaCodeRequest,
  attempt: (tokenCode: string) => Promise<T>,
): Promise<T> {
  let retryReason: string | undefined;
  for (let attemptNumber = 1; ; attemptNumber++) {
    const tokenCode = await askForCode(request, retryReason);
    try {
      return await attempt(tokenCode);
    } catch (error) {
      const retry =
        error instanceof CredentialsError &&
        error.code === 'mfa-invalid' &&
        attemptNumber < MFA_ATTEMPTS;
      if (!retry) throw error;
      retryReason = `${error.message} Try again with the next code.`;
      request.logger.log('info', 'MFA code refused; asking again', {
        profile: request.profile,
        attempt: attemptNumber,
      });
    }
  }
}

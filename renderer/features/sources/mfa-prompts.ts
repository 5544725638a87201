// The sources store's MFA slice: the prompts main raises when a profile needs a code
// (sources:mfa-requested, oldest first, gone on sources:mfa-settled) and the answer to one.
import type { Api, SourcesMfaRequested } from '../../../shared/ipc';

export interface MfaPromptsState {
  /** MFA prompts waiting for a code, oldest first; the dialog shows the first. */
  readonly mfaPrompts: readonly SourcesMfaRequested[];
  /** Why the last answer to the first prompt was refused (the dialog stays open). */
  readonly mfaError: string | undefined;
  /** Answers the MFA prompt with a code, or cancels it (no code). */
  readonly answerMfa: (promptId: string, code?: string) => Promise<boolean>;
}

/** The MFA slice, and how it follows sources:mfa-requested and sources:mfa-settled. */
export function createMfaPrompts(
  api: Pick<Api, 'invoke' | 'on'>,
  onError: (message: string) => void,
  set: (partial: Partial<MfaPromptsState>) => void,
  get: () => MfaPromptsState,
): { readonly slice: MfaPromptsState; readonly follow: () => () => void } {
  const slice: MfaPromptsState = {
    mfaPrompts: [],
    mfaError: undefined,

    async answerMfa(promptId, code) {
      const result = await api.invoke(
        'sources:mfa-answer',
        code === undefined ? { promptId } : { promptId, code },
      );
      if (result.ok || code === undefined) {
        // Answered (or the user gave up on it): the prompt is done here even before main's
        // sources:mfa-settled arrives.
        set({
          mfaPrompts: get().mfaPrompts.filter((prompt) => prompt.promptId !== promptId),
          mfaError: undefined,
        });
      }
      if (!result.ok) {
        if (code === undefined) onError(`Could not cancel the MFA prompt: ${result.error.message}`);
        else set({ mfaError: result.error.message });
      }
      return result.ok;
    },
  };

  const follow = () => {
    const disposers = [
      api.on('sources:mfa-requested', (prompt) => {
        const prompts = get().mfaPrompts;
        if (prompts.some((p) => p.promptId === prompt.promptId)) return;
        set({ mfaPrompts: [...prompts, prompt] });
      }),
      api.on('sources:mfa-settled', ({ promptId }) => {
        const prompts = get().mfaPrompts;
        const rest = prompts.filter((p) => p.promptId !== promptId);
        if (rest.length === prompts.length) return;
        const wasShown = prompts[0]?.promptId === promptId;
        set({ mfaPrompts: rest, ...(wasShown && { mfaError: undefined }) });
      }),
    ];
    return () => {
      for (const dispose of disposers) dispose();
    };
  };

  return { slice, follow };
}

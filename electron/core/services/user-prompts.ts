// The questions the sources service puts to the user over IPC and waits on: MFA codes for role
// chains, and approval of an Identity Center login at the built-in sandbox. Each is pending until
// answered, timed out or disposed, so a forgotten dialog fails clearly instead of hanging a call.
import { IpcFailure, type EventChannelName, type EventInputOf } from '../../../shared/ipc';
import type { MfaPrompt } from '../aws/credentials';
import type { Clock, TimerHandle } from '../base/clock';
import type { Logger } from '../base/logger';
import type { Random } from '../base/random';
import type { SandboxSignInRequest } from './local-sandbox';

/** An unanswered MFA prompt is cancelled after this long, so a forgotten dialog fails clearly. */
export const MFA_PROMPT_TIMEOUT_MS = 5 * 60_000;
/** The sandbox's device codes live ten minutes; an unanswered sign-in prompt is a no after that. */
export const SANDBOX_SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/** Sends an event to every renderer: a prompt is for whichever window the user looks at. */
export type BroadcastEvent = <E extends EventChannelName>(
  channel: E,
  payload: EventInputOf<E>,
) => void;

export interface UserPromptsOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly emit: BroadcastEvent;
}

interface Pending<Answer> {
  resolve: (answer: Answer) => void;
  timer: TimerHandle;
}

/** Open questions by prompt id; a question not answered in time gets the `unanswered` answer. */
class PendingQuestions<Answer> {
  private readonly pending = new Map<string, Pending<Answer>>();

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly unanswered: Answer,
    /** Runs after a question is settled, by the user, the timeout or dispose. */
    private readonly onSettled: (promptId: string, answer: Answer) => void,
  ) {}

  /** Registers `promptId` and then calls `announce`, which tells the user about it. */
  ask(promptId: string, announce: () => void): Promise<Answer> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(
        () => this.settle(promptId, this.unanswered),
        this.timeoutMs,
      );
      this.pending.set(promptId, { resolve, timer });
      announce();
    });
  }

  /** False when the question was already settled (or never asked). */
  settle(promptId: string, answer: Answer): boolean {
    const pending = this.pending.get(promptId);
    if (!pending) return false;
    this.pending.delete(promptId);
    pending.timer.cancel();
    pending.resolve(answer);
    this.onSettled(promptId, answer);
    return true;
  }

  dispose(): void {
    for (const promptId of [...this.pending.keys()]) this.settle(promptId, this.unanswered);
  }
}

/** Asks for MFA codes on behalf of the credential resolver (sources:mfa-requested). */
export class MfaBroker {
  private readonly questions: PendingQuestions<string | undefined>;

  constructor(private readonly options: UserPromptsOptions) {
    this.questions = new PendingQuestions<string | undefined>(
      options.clock,
      MFA_PROMPT_TIMEOUT_MS,
      undefined,
      (promptId) => options.emit('sources:mfa-settled', { promptId }),
    );
  }

  /** The resolver's MfaPrompt: resolves with the code, or undefined on cancel or timeout. */
  readonly prompt: MfaPrompt = ({ profile, mfaSerial, retryReason }) => {
    const promptId = this.options.random.uuid();
    return this.questions.ask(promptId, () => {
      this.options.logger.log('info', 'asking for an MFA code', { profile });
      this.options.emit('sources:mfa-requested', {
        promptId,
        profile,
        mfaSerial,
        ...(retryReason !== undefined && { retryReason }),
      });
    });
  };

  /** `code` undefined: the user cancelled. */
  answer(promptId: string, code: string | undefined): void {
    if (!this.questions.settle(promptId, code)) {
      throw new IpcFailure('not-found', 'That MFA prompt has already been answered or timed out.');
    }
  }

  /** Cancels every open prompt. */
  dispose(): void {
    this.questions.dispose();
  }
}

/** Asks whether an Identity Center login at the built-in sandbox may go ahead. */
export class SandboxSignInBroker {
  private readonly questions: PendingQuestions<boolean>;
  /** Prompts of authorization-code sign-ins, which only their page's code approves. */
  private readonly denyOnly = new Set<string>();

  constructor(private readonly options: UserPromptsOptions) {
    this.questions = new PendingQuestions<boolean>(
      options.clock,
      SANDBOX_SIGN_IN_TIMEOUT_MS,
      false,
      (promptId, approved) => {
        this.denyOnly.delete(promptId);
        options.logger.log('info', 'sandbox sign-in answered', { approved });
        options.emit('sources:sandbox-sign-in-settled', { promptId, approved });
      },
    );
  }

  /** Resolves false on a no, a timeout or dispose; a decision on the sign-in page settles it too. */
  ask(request: SandboxSignInRequest): Promise<boolean> {
    const promptId = this.options.random.uuid();
    if (request.flow === 'authorization-code') this.denyOnly.add(promptId);
    const answer = this.questions.ask(promptId, () => {
      this.options.logger.log('info', 'asking to approve a sandbox sign-in', {
        flow: request.flow,
      });
      this.options.emit('sources:sandbox-sign-in-requested', {
        promptId,
        userCode: request.userCode,
        clientName: request.clientName,
        flow: request.flow,
      });
    });
    const { decided } = request;
    if (decided) {
      const onDecided = () => this.questions.settle(promptId, decided.reason === 'approved');
      if (decided.aborted) onDecided();
      else decided.addEventListener('abort', onDecided, { once: true });
    }
    return answer;
  }

  answer(promptId: string, approve: boolean): void {
    if (approve && this.denyOnly.has(promptId)) {
      throw new IpcFailure(
        'invalid-request',
        'This sign-in is approved by entering its code on the sign-in page; here it can only be denied.',
      );
    }
    if (!this.questions.settle(promptId, approve)) {
      throw new IpcFailure('not-found', 'That sign-in has already been answered or timed out.');
    }
  }

  /** Says no to every open request. */
  dispose(): void {
    this.questions.dispose();
  }
}

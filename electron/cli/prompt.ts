// Asks the user one question on the terminal (stderr) and reads one line from stdin: the MFA code
// an assume-role profile needs before a CLI session can start.
import type { Readable, Writable } from 'node:stream';

export class PromptError extends Error {
  override readonly name = 'PromptError';
}

/** Writes `question` to `output` and resolves with the next line of `input`, trimmed. */
export function readLine(input: Readable, output: Writable, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const cleanup = () => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      // Leave stdin paused: the session resumes it when it starts reading keystrokes.
      input.pause();
    };
    const onData = (chunk: Buffer | string) => {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const newline = text.search(/\r?\n|\r/);
      if (newline < 0) return;
      cleanup();
      resolve(text.slice(0, newline).trim());
    };
    const onEnd = () => {
      cleanup();
      reject(new PromptError('no answer: the input ended'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    output.write(question);
    input.on('data', onData);
    input.once('end', onEnd);
    input.once('error', onError);
    input.resume();
  });
}

/**
 * An SDK `mfaCodeProvider` for the terminal: asks for the code of the named device when stdin is
 * a terminal, and fails with an explanation otherwise (a script cannot be asked).
 */
export function terminalMfaPrompt(io: {
  stdin: Readable & { isTTY?: boolean | undefined };
  stderr: Writable;
}): (mfaSerial: string) => Promise<string> {
  return async (mfaSerial) => {
    if (io.stdin.isTTY !== true) {
      throw new PromptError(
        `the profile needs an MFA code for ${mfaSerial}, and stdin is not a terminal to ask on`,
      );
    }
    const code = await readLine(io.stdin, io.stderr, `MFA code for ${mfaSerial}: `);
    if (!/^\d{6}$/.test(code)) throw new PromptError('an MFA code is six digits');
    return code;
  };
}

// The terminal prompt for MFA codes: one line read and stdin left paused, end of input and
// non-terminals refused clearly.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PromptError, readLine, terminalMfaPrompt } from './prompt';

function streams(tty: boolean) {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let asked = '';
  stderr.on('data', (chunk: Buffer) => (asked += chunk.toString('utf8')));
  return { stdin, stderr, asked: () => asked };
}

describe('readLine', () => {
  it('asks, reads one line over several chunks, and leaves the rest of stdin alone', async () => {
    const io = streams(true);
    const answer = readLine(io.stdin, io.stderr, 'Code: ');
    io.stdin.write(' 12');
    io.stdin.write('3456\r\nnext');
    await expect(answer).resolves.toBe('123456');
    expect(io.asked()).toBe('Code: ');
    expect(io.stdin.isPaused()).toBe(true);
    expect(io.stdin.listenerCount('data')).toBe(0);
  });

  it('fails when the input ends without a line', async () => {
    const io = streams(true);
    const answer = readLine(io.stdin, io.stderr, 'Code: ');
    io.stdin.end('12');
    await expect(answer).rejects.toBeInstanceOf(PromptError);
  });
});

describe('terminalMfaPrompt', () => {
  const serial = 'arn:aws:iam::111111111111:mfa/me';

  it('asks for the named device and returns six digits', async () => {
    const io = streams(true);
    const code = terminalMfaPrompt(io)(serial);
    io.stdin.write('654321\n');
    await expect(code).resolves.toBe('654321');
    expect(io.asked()).toBe(`MFA code for ${serial}: `);
  });

  it('refuses a malformed code, and never asks when stdin is not a terminal', async () => {
    const io = streams(true);
    const code = terminalMfaPrompt(io)(serial);
    io.stdin.write('12ab\n');
    await expect(code).rejects.toThrow('six digits');
    const piped = streams(false);
    await expect(terminalMfaPrompt(piped)(serial)).rejects.toThrow(/not a terminal/);
    expect(piped.asked()).toBe('');
  });
});

// The client's side of an upload to a Windows instance, against a stand-in for the PowerShell
// receiver that answers as a console host would (CRLF, terminal sequences around lines): what
// the client sends (CR-ended lines, `D <bytes> <lines>`, counted base64 lines) and how it reads
// the answers. The PowerShell itself cannot run here; powershell-scripts.test.ts checks its text.

import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Emitter } from '../base/event';
import type { SessionStatus } from '../sessions/session-types';
import type { ShellSession } from '../sessions/shell-session';
import { controlText, type CommandSession } from './command-session';
import { CONTROL_PREFIX } from './posix-scripts';
import { decodePowershellCommand } from './powershell-scripts';
import { UPLOAD_BLOCK_BYTES, uploadFiles } from './upload';

/** Parses the client's input as the PowerShell receiver's StreamReader.ReadLine would. */
class FakeWindowsReceiver {
  readonly output = new Emitter<Uint8Array>();
  readonly requests: string[] = [];
  readonly received: Buffer[] = [];
  private pending = '';
  private dataLines = 0;

  write(bytes: Uint8Array): void {
    this.pending += Buffer.from(bytes).toString('latin1');
    const lines = this.pending.split(/\r\n|\r|\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) if (line !== '') this.line(line);
  }

  say(text: string): void {
    // A console host may hide and show the cursor around what a program prints.
    this.output.fire(Buffer.from(`\x1b[?25l${CONTROL_PREFIX}${text}\x1b[K\r\n\x1b[?25h`));
  }

  private line(line: string): void {
    if (this.dataLines > 0) {
      this.received.push(Buffer.from(line, 'base64'));
      if (--this.dataLines === 0) this.say('ack');
      return;
    }
    this.requests.push(line);
    const [op = '', a = '', b = '0'] = line.split(' ');
    if (op === 'P') this.say(`path ${Buffer.from('C:\\Users\\me\\up.bin').toString('base64')}`);
    else if (op === 'F') this.say('go');
    else if (op === 'D') this.dataLines = Number(b);
    else if (op === 'E') this.say(a === sha256(Buffer.concat(this.received)) ? 'ok' : 'sha 00');
    else if (op === 'Q') this.say('bye');
  }
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('an upload to a Windows instance', () => {
  let work: string;

  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'airlock-win-'));
  });

  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('runs the PowerShell receiver and sends CR-ended lines it counts', async () => {
    const data = Buffer.alloc(2 * UPLOAD_BLOCK_BYTES + 7);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
    await writeFile(path.join(work, 'up.bin'), data);
    const receiver = new FakeWindowsReceiver();
    const finished = new Promise<SessionStatus>(() => undefined);
    const opened: { document: string; command: string }[] = [];
    const session: CommandSession = {
      shell: {
        write: (bytes: Uint8Array) => receiver.write(bytes),
        onOutput: (listener: (bytes: Uint8Array) => void) => receiver.output.event(listener),
      } as unknown as ShellSession,
      pauseOutput: () => undefined,
      close: () => Promise.resolve(),
      finished,
    };
    const result = uploadFiles(path.join(work, 'up.bin'), 'C:\\Users\\me', {
      open: (document, command) => {
        opened.push({ document, command });
        // After the client subscribes, as the real session holds early output for it.
        setImmediate(() => receiver.say('ready 1'));
        return Promise.resolve(session);
      },
      recursive: false,
      overwrite: 'never',
      platform: 'windows',
    });
    await expect(result).resolves.toMatchObject({
      destination: 'C:\\Users\\me\\up.bin',
      bytes: data.length,
    });
    expect(opened[0]?.document).toBe('AWS-StartInteractiveCommand');
    expect(decodePowershellCommand(opened[0]?.command ?? '')).toContain("Say 'ready 1'");
    expect(sha256(Buffer.concat(receiver.received))).toBe(sha256(data));
    const blocks = receiver.requests.filter((r) => r.startsWith('D '));
    expect(blocks).toHaveLength(3);
    // 1008 base64 characters and a CR per line: 1040 lines for a full block.
    expect(blocks[0]).toBe(`D ${(UPLOAD_BLOCK_BYTES / 756) * 1009} ${UPLOAD_BLOCK_BYTES / 756}`);
    expect(receiver.requests.at(-2)).toBe(`E ${sha256(data)}`);
    expect(receiver.requests.at(-1)).toBe('Q');
  });
});

describe('control lines from a console host', () => {
  it('lose terminal sequences and trailing blanks', () => {
    expect(controlText('ack\x1b[K')).toBe('ack');
    expect(controlText('path QUJD\x1b[?25h  ')).toBe('path QUJD');
    expect(controlText('\x1b]0;title\x07sha abc')).toBe('sha abc');
    expect(controlText('err YQ==')).toBe('err YQ==');
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { StartSessionInput } from '../core/aws/ssm-api';
import { FakeAgent } from '../core/sessions/fake-agent';
import { FakeClock } from '../core/testing/fake-clock';
import { SHELL_USAGE, isTargetId, parseShellArgs, runShellCommand, type ShellDeps } from './shell';

describe('parseShellArgs', () => {
  it('reads the target and options', () => {
    expect(
      parseShellArgs([
        '--region',
        'eu-west-1',
        'web-1',
        '--profile',
        'dev',
        '--document',
        'AWS-StartNonInteractiveCommand',
        '--parameters',
        '{"command":"uptime","other":["a","b"]}',
        '--endpoint-url',
        'http://127.0.0.1:9',
      ]),
    ).toEqual({
      target: 'web-1',
      region: 'eu-west-1',
      profile: 'dev',
      endpoint: 'http://127.0.0.1:9',
      documentName: 'AWS-StartNonInteractiveCommand',
      parameters: { command: ['uptime'], other: ['a', 'b'] },
    });
    expect(parseShellArgs(['--help'])).toBe('help');
  });

  it('rejects bad usage', () => {
    expect(() => parseShellArgs([])).toThrow(/TARGET is required/);
    expect(() => parseShellArgs(['a', 'b'])).toThrow(/unexpected argument b/);
    expect(() => parseShellArgs(['a', '--region'])).toThrow(/--region needs a value/);
    expect(() => parseShellArgs(['a', '--bogus'])).toThrow(/unknown option --bogus/);
    expect(() => parseShellArgs(['a', '--parameters', '[1]'])).toThrow(/JSON object/);
    expect(() => parseShellArgs(['a', '--parameters', '{"x":1}'])).toThrow(/x must be/);
  });

  it('tells ids from names', () => {
    expect(isTargetId('i-0a1b2c3d4e5f60001')).toBe(true);
    expect(isTargetId('mi-0c1d2e3f4a5b60007')).toBe(true);
    expect(isTargetId('ecs:cluster_task_runtime')).toBe(true);
    expect(isTargetId('web-1')).toBe(false);
  });
});

describe('runShellCommand', () => {
  function deps() {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const clock = new FakeClock();
    const agent = new FakeAgent(clock);
    const starts: StartSessionInput[] = [];
    const d: ShellDeps = {
      stdin: new PassThrough(),
      stdout,
      stderr,
      env: {},
      process: { on: () => undefined, off: () => undefined },
      clock,
      connect: agent.connect,
      resolveTarget: (name) =>
        name === 'web-1'
          ? Promise.resolve('i-0a1b2c3d4e5f60001')
          : Promise.reject(new Error(`no running instance is named ${name}`)),
      createApis: () => ({
        ssm: {
          startSession: (input) => {
            starts.push(input);
            return Promise.resolve({ sessionId: 's-1', tokenValue: 't', streamUrl: 'ws://x' });
          },
          resumeSession: () => Promise.resolve({ tokenValue: '', streamUrl: '' }),
          terminateSession: () => Promise.resolve(),
        },
        kms: { generateDataKey: () => Promise.reject(new Error('unused')) },
        destroy: () => undefined,
      }),
    };
    return { d, agent, starts, out: () => out, err: () => err };
  }

  it('resolves a Name tag, starts the session and runs it to the end', async () => {
    const { d, agent, starts, out } = deps();
    const exit = runShellCommand(['web-1'], d);
    await agent.opens.next();
    expect(starts).toEqual([{ target: 'i-0a1b2c3d4e5f60001' }]);
    agent.send(1, '$ ');
    await new Promise<void>((resolve) => setImmediate(resolve));
    agent.sendChannelClosed('s-1');
    await expect(exit).resolves.toBe(0);
    expect(out()).toBe(
      '\nStarting session with SessionId: s-1\n$ \n\nExiting session with sessionId: s-1.\n\n',
    );
  });

  it('exits 1 when the target cannot be resolved, 2 on bad usage', async () => {
    const a = deps();
    await expect(runShellCommand(['nope'], a.d)).resolves.toBe(1);
    expect(a.err()).toBe(
      'airlock shell: cannot start a session on nope: no running instance is named nope\n',
    );
    const b = deps();
    await expect(runShellCommand([], b.d)).resolves.toBe(2);
    expect(b.err()).toBe(`airlock shell: a TARGET is required\n\n${SHELL_USAGE}`);
  });
});

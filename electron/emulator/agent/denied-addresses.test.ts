// Tests for the remote-host checks: the agent's denied addresses in every spelling, and resolution order.

import { describe, expect, it } from 'vitest';
import {
  DENIED_PORT_FORWARDING_IPS,
  ForwardingDeniedError,
  canonicalAddress,
  isDeniedAddress,
  resolveForwardingDestination,
} from './denied-addresses';

describe('denied forwarding addresses', () => {
  it('denies every default address, however it is written', () => {
    for (const address of DENIED_PORT_FORWARDING_IPS) expect(isDeniedAddress(address)).toBe(true);
    expect(isDeniedAddress('FD00:EC2:0:0:0:0:0:254')).toBe(true);
    expect(isDeniedAddress('::ffff:169.254.169.254')).toBe(true);
    expect(isDeniedAddress('[fd00:ec2::123]')).toBe(true);
    expect(isDeniedAddress('169.254.169.1')).toBe(false);
    expect(isDeniedAddress('127.0.0.1')).toBe(false);
    expect(isDeniedAddress('::1')).toBe(false);
    expect(canonicalAddress('fd00:ec2::254')).toBe('fd00:0ec2:0000:0000:0000:0000:0000:0254');
  });

  it('refuses a host if any resolved address is denied, with the agent message', async () => {
    const resolver = (host: string): Promise<string[]> =>
      Promise.resolve(host === 'metadata' ? ['10.0.0.5', '169.254.169.254'] : ['10.0.0.5']);
    await expect(resolveForwardingDestination('metadata', resolver)).rejects.toThrow(
      new ForwardingDeniedError('169.254.169.254'),
    );
    await expect(resolveForwardingDestination('metadata', resolver)).rejects.toThrow(
      'Forwarding to IP address 169.254.169.254 is forbidden.',
    );
    await expect(resolveForwardingDestination('db', resolver)).resolves.toEqual(['10.0.0.5']);
    await expect(resolveForwardingDestination('127.0.0.1')).resolves.toEqual(['127.0.0.1']);
  });
});

// Tests for the agent-side version gates: mux vs basic, smux keepalive, separate StdErr.

import { describe, expect, it } from 'vitest';
import {
  compareAgentVersions,
  smuxKeepAliveEnabled,
  supportsSeparateOutput,
  usesMultiplexing,
} from './versions';

describe('agent version gates', () => {
  it('compares with missing trailing parts as zero and refuses non-numbers', () => {
    expect(compareAgentVersions('1.1.70', '1.1.70.0')).toBe(0);
    expect(compareAgentVersions('1.2.650.0', '1.1.70')).toBe(1);
    expect(compareAgentVersions('1.1.69.9', '1.1.70')).toBe(-1);
    expect(compareAgentVersions('1.2.x', '1.1.70')).toBeUndefined();
    expect(compareAgentVersions('', '1.1.70')).toBeUndefined();
  });

  it('multiplexes for clients >= 1.1.70 on agents newer than 3.0.196.0', () => {
    expect(usesMultiplexing('1.2.650.0', '3.3.0.0')).toBe(true);
    expect(usesMultiplexing('1.1.70', '3.3.0.0')).toBe(true);
    expect(usesMultiplexing('1.1.61.0', '3.3.0.0')).toBe(false);
    expect(usesMultiplexing('1.2.650.0', '3.0.196.0')).toBe(false);
  });

  it('keeps smux keepalive on for clients up to 1.2.331.0 (the #93 trap) and old agents', () => {
    expect(smuxKeepAliveEnabled('1.2.650.0', '3.3.0.0')).toBe(false);
    expect(smuxKeepAliveEnabled('1.2.331.0', '3.3.0.0')).toBe(true);
    expect(smuxKeepAliveEnabled('1.2.0.0', '3.3.0.0')).toBe(true);
    expect(smuxKeepAliveEnabled('1.2.650.0', '3.1.1511.0')).toBe(true);
    expect(smuxKeepAliveEnabled('garbage', '3.3.0.0')).toBe(true);
  });

  it('separates StdErr only for clients newer than 1.2.295', () => {
    expect(supportsSeparateOutput('1.2.312.0')).toBe(true);
    expect(supportsSeparateOutput('1.2.295.0')).toBe(false);
    expect(supportsSeparateOutput('')).toBe(false);
  });
});

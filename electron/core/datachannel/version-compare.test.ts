import { describe, expect, it } from 'vitest';
import { AgentFeatureVersions, compareVersions, isVersionGreater } from './version-compare';

describe('compareVersions', () => {
  it('compares numerically, component by component', () => {
    expect(compareVersions('3.0.196.0', '3.0.196.0')).toBe(0);
    expect(compareVersions('3.0.197.0', '3.0.196.0')).toBe(1);
    expect(compareVersions('3.0.20.0', '3.0.196.0')).toBe(-1);
    expect(compareVersions('10.0.0.0', '9.9.9.9')).toBe(1);
    expect(compareVersions('3.1.1511.0', '3.1.1511.1')).toBe(-1);
  });

  it('refuses a different number of components', () => {
    expect(compareVersions('3.3.0', '3.0.196.0')).toBeUndefined();
    expect(compareVersions('3.3.0.0.1', '3.0.196.0')).toBeUndefined();
  });

  it('refuses non-numeric or empty components', () => {
    expect(compareVersions('3.3.x.0', '3.0.196.0')).toBeUndefined();
    expect(compareVersions('3.3..0', '3.0.196.0')).toBeUndefined();
    expect(compareVersions('3.3.-1.0', '3.0.196.0')).toBeUndefined();
    expect(compareVersions('', '3.0.196.0')).toBeUndefined();
  });
});

describe('isVersionGreater', () => {
  it('is false when not comparable, so the feature counts as unsupported', () => {
    expect(isVersionGreater('3.3.0.0', AgentFeatureVersions.portMultiplexing)).toBe(true);
    expect(isVersionGreater('3.0.196.0', AgentFeatureVersions.portMultiplexing)).toBe(false);
    expect(isVersionGreater('3.3.0', AgentFeatureVersions.portMultiplexing)).toBe(false);
    expect(isVersionGreater('latest', AgentFeatureVersions.portMultiplexing)).toBe(false);
  });
});

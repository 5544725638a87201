import { describe, expect, it } from 'vitest';
import { parseIni } from './ini';

const FILE = 'home/.aws/config';

describe('parseIni', () => {
  it('reads sections, lower-cases keys and strips comments', () => {
    const doc = parseIni(
      [
        '# leading comment',
        '; another',
        '[default]',
        'Region = us-east-1 # inline comment',
        'output=json',
        '',
        '[profile work]',
        'region = eu-west-1 ; also a comment',
        'credential_process = /bin/get-creds --token=a#b',
      ].join('\n'),
      FILE,
    );
    expect(doc.diagnostics).toEqual([]);
    expect(doc.sections.map((s) => s.header)).toEqual(['default', 'profile work']);
    const [def, work] = doc.sections;
    expect(def?.line).toBe(3);
    expect(Object.fromEntries(def!.values)).toEqual({ region: 'us-east-1', output: 'json' });
    expect(work?.values.get('region')).toBe('eu-west-1');
    // '#' not preceded by whitespace is part of the value.
    expect(work?.values.get('credential_process')).toBe('/bin/get-creds --token=a#b');
  });

  it('reads nested blocks (services sections, s3 = …)', () => {
    const doc = parseIni(
      [
        '[services local]',
        'ssm =',
        '  endpoint_url = http://127.0.0.1:4000',
        'ec2 =',
        '\tendpoint_url = http://127.0.0.1:4001',
        '[profile x]',
        's3 =',
        '  addressing_style = path',
        'region = us-west-2',
      ].join('\n'),
      FILE,
    );
    expect(doc.diagnostics).toEqual([]);
    const services = doc.sections[0]!;
    expect(services.nested.get('ssm')?.get('endpoint_url')).toBe('http://127.0.0.1:4000');
    expect(services.nested.get('ec2')?.get('endpoint_url')).toBe('http://127.0.0.1:4001');
    const x = doc.sections[1]!;
    expect(x.nested.get('s3')?.get('addressing_style')).toBe('path');
    expect(x.values.get('region')).toBe('us-west-2');
    expect(x.values.has('addressing_style')).toBe(false);
  });

  it('joins indented continuation lines to the previous value', () => {
    const doc = parseIni('[p]\ncredential_process = tool\n  --profile p\n', FILE);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.sections[0]?.values.get('credential_process')).toBe('tool --profile p');
  });

  it('handles CRLF, a BOM and headers with extra spaces', () => {
    const doc = parseIni('\uFEFF[ profile   a ]\r\nregion = us-east-1\r\n', FILE);
    expect(doc.sections[0]?.header).toBe('profile a');
    expect(doc.sections[0]?.values.get('region')).toBe('us-east-1');
  });

  it('reports a broken header with file and line and keeps the other sections', () => {
    const doc = parseIni(
      [
        '[profile good]',
        'region = us-east-1',
        '[profile broken',
        'region = eu-west-1',
        '[profile also-good]',
        'region = ap-south-1',
      ].join('\n'),
      FILE,
    );
    expect(doc.sections.map((s) => s.header)).toEqual(['profile good', 'profile also-good']);
    expect(doc.diagnostics).toHaveLength(1);
    expect(doc.diagnostics[0]).toMatchObject({ file: FILE, line: 3, severity: 'error' });
    expect(doc.diagnostics[0]?.message).toContain(`${FILE}, line 3`);
    expect(doc.diagnostics[0]?.message).toContain('closing "]"');
  });

  it('reports lines without "=", with no key, and before any section, tagging the section', () => {
    const doc = parseIni(
      ['orphan = 1', '[profile p]', 'this is not a setting', '= nokey', 'region = us-east-1'].join(
        '\n',
      ),
      FILE,
    );
    expect(doc.sections[0]?.values.get('region')).toBe('us-east-1');
    expect(doc.diagnostics.map((d) => [d.line, d.section])).toEqual([
      [1, undefined],
      [3, 'profile p'],
      [4, 'profile p'],
    ]);
    expect(doc.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  it('merges a repeated section with a warning', () => {
    const doc = parseIni('[a]\nx = 1\ny = 1\n[b]\n[a]\ny = 2\n', FILE);
    expect(doc.sections).toHaveLength(2);
    expect(Object.fromEntries(doc.sections[0]!.values)).toEqual({ x: '1', y: '2' });
    expect(doc.diagnostics[0]).toMatchObject({ line: 5, severity: 'warning' });
  });

  it('rejects empty and nested-bracket headers', () => {
    const doc = parseIni('[]\nx = 1\n[a[b]]\ny = 2\n[ok]\nz = 3', FILE);
    expect(doc.sections.map((s) => s.header)).toEqual(['ok']);
    expect(doc.diagnostics.map((d) => d.line)).toEqual([1, 3]);
  });

  it('refuses binary content without throwing', () => {
    const doc = parseIni('[a]\u0000\u0001', FILE);
    expect(doc.sections).toEqual([]);
    expect(doc.diagnostics[0]?.message).toContain('not a text file');
  });
});

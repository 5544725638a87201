import { describe, expect, it } from 'vitest';
import { parseYamlSubset, YamlSubsetError } from './yaml-subset';

describe('parseYamlSubset', () => {
  it('reads a Session document written in block YAML', () => {
    const source = [
      '# a comment line',
      "schemaVersion: '1.0'",
      'description: Tails a log # trailing comment',
      'sessionType: InteractiveCommands',
      'parameters:',
      '  lines:',
      '    type: String',
      '    default: "50"',
      '    allowedPattern: ^[0-9]{1,4}$',
      'properties:',
      '  linux:',
      "    commands: 'tail -n {{ lines }} /var/log/syslog # not a comment'",
      '    runAsElevated: false',
      '  order:',
      '    - first',
      '    - name: second',
      '      value: 2',
      '',
    ].join('\n');
    expect(parseYamlSubset(source)).toEqual({
      schemaVersion: '1.0',
      description: 'Tails a log',
      sessionType: 'InteractiveCommands',
      parameters: { lines: { type: 'String', default: '50', allowedPattern: '^[0-9]{1,4}$' } },
      properties: {
        linux: {
          commands: 'tail -n {{ lines }} /var/log/syslog # not a comment',
          runAsElevated: false,
        },
        order: ['first', { name: 'second', value: 2 }],
      },
    });
  });

  it('types plain scalars as YAML does and keeps quoted ones as strings', () => {
    expect(parseYamlSubset("a: 20\nb: '20'\nc: true\nd: ~\ne: it''s\nf: 'it''s'")).toEqual({
      a: 20,
      b: '20',
      c: true,
      d: null,
      e: "it''s",
      f: "it's",
    });
  });

  it('refuses what it does not read, naming the line', () => {
    expect(() => parseYamlSubset('a: [1, 2]')).toThrow(YamlSubsetError);
    expect(() => parseYamlSubset('a: 1\n  b: 2')).toThrow(/line 2/);
    expect(() => parseYamlSubset('a: 1\na: 2')).toThrow(/duplicate key "a"/);
    expect(() => parseYamlSubset("a: 'open")).toThrow(/not closed/);
    expect(() => parseYamlSubset('just text')).toThrow(/expected "key: value"/);
  });
});

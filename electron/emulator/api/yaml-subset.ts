// The block-style YAML the sandbox's own Session documents are written in, read into JSON values,
// so GetDocument can convert a YAML-authored document to JSON the way SSM does. It reads mappings,
// sequences, plain and quoted scalars and comments; anything else is refused with the line number.

import type { JsonObject } from './input';

interface Line {
  indent: number;
  text: string;
  number: number;
}

export class YamlSubsetError extends Error {}

/** Drops comments and blank lines; keeps each line's indentation. */
function lines(source: string): Line[] {
  const out: Line[] = [];
  source.split(/\r?\n/).forEach((raw, index) => {
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '' || text.trim() === '---') return;
    if (/^\t| \t/.test(text)) throw new YamlSubsetError(`line ${index + 1}: tabs are not allowed`);
    out.push({
      indent: text.length - text.trimStart().length,
      text: text.trim(),
      number: index + 1,
    });
  });
  return out;
}

/** A `#` starts a comment at the line start or after a space, outside quotes. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** `key: value` or `key:`; keys may be quoted. */
function splitKey(line: Line): { key: string; rest: string } | undefined {
  const match = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^'"\s:][^:]*?)\s*:(?:\s+(.*))?$/.exec(
    line.text,
  );
  if (!match) return undefined;
  const key = match[1] ?? '';
  return {
    key: key.startsWith('"') || key.startsWith("'") ? quoted(key, line) : key,
    rest: match[2] ?? '',
  };
}

function quoted(text: string, line: Line): string {
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw unterminated(line);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  try {
    return JSON.parse(text) as string;
  } catch {
    throw unterminated(line);
  }
}

function unterminated(line: Line): YamlSubsetError {
  return new YamlSubsetError(`line ${line.number}: a quoted string is not closed`);
}

/** Plain scalars as YAML 1.2's core schema reads them. */
function scalar(text: string, line: Line): unknown {
  if (text.startsWith("'") || text.startsWith('"')) return quoted(text, line);
  if (/^[[{|>&*!]/.test(text)) {
    throw new YamlSubsetError(`line ${line.number}: unsupported YAML construct "${text}"`);
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

class Reader {
  private index = 0;

  constructor(private readonly all: Line[]) {}

  get done(): boolean {
    return this.index >= this.all.length;
  }

  block(indent: number): unknown {
    const first = this.all[this.index];
    if (!first || first.indent < indent) return null;
    return first.text.startsWith('- ') || first.text === '-'
      ? this.sequence(first.indent)
      : this.mapping(first.indent);
  }

  private mapping(indent: number): JsonObject {
    const out: JsonObject = {};
    for (
      let line = this.all[this.index];
      line && line.indent === indent;
      line = this.all[this.index]
    ) {
      const entry = splitKey(line);
      if (!entry) throw new YamlSubsetError(`line ${line.number}: expected "key: value"`);
      if (Object.hasOwn(out, entry.key)) {
        throw new YamlSubsetError(`line ${line.number}: duplicate key "${entry.key}"`);
      }
      this.index++;
      out[entry.key] = entry.rest === '' ? this.block(indent + 1) : scalar(entry.rest, line);
    }
    this.checkDedent(indent);
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (
      let line = this.all[this.index];
      line && line.indent === indent;
      line = this.all[this.index]
    ) {
      if (!(line.text.startsWith('- ') || line.text === '-')) break;
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.index++;
        out.push(this.block(indent + 1));
      } else if (splitKey({ ...line, text: rest })) {
        // "- key: value" opens a mapping whose keys sit two columns in.
        this.all[this.index] = { ...line, indent: indent + 2, text: rest };
        out.push(this.mapping(indent + 2));
      } else {
        this.index++;
        out.push(scalar(rest, line));
      }
    }
    this.checkDedent(indent);
    return out;
  }

  private checkDedent(indent: number): void {
    const next = this.all[this.index];
    if (next && next.indent > indent) {
      throw new YamlSubsetError(`line ${next.number}: unexpected indentation`);
    }
  }
}

/** Parses one YAML document of the supported subset; throws YamlSubsetError naming the line. */
export function parseYamlSubset(source: string): unknown {
  const reader = new Reader(lines(source));
  const value = reader.block(0);
  if (!reader.done) throw new YamlSubsetError('the document has more than one top-level value');
  return value;
}

// INI parser for the AWS shared config and credentials files: sections, nested sub-sections and
// line-numbered diagnostics, so one malformed line never hides the rest of the file.

/** A problem found while reading a file. `line` is 1-based; absent when the whole file is affected. */
export interface IniDiagnostic {
  readonly file: string;
  readonly line?: number;
  readonly severity: 'error' | 'warning';
  /** A full sentence naming the file and line, ready to show as-is. */
  readonly message: string;
  /** The header text (e.g. `profile work`) of the section the problem belongs to, when known. */
  readonly section?: string;
}

export interface IniSection {
  /** The text between the brackets, trimmed, e.g. `profile work`, `default`, `sso-session corp`. */
  readonly header: string;
  readonly file: string;
  /** Line of the header (1-based). */
  readonly line: number;
  /** Keys are lower-cased (as the AWS CLI does); later duplicates win. */
  readonly values: Map<string, string>;
  /**
   * Nested blocks written as a key with an empty value followed by indented `key = value` lines,
   * e.g. `ssm =` / `  endpoint_url = …` inside a `[services x]` section.
   */
  readonly nested: Map<string, Map<string, string>>;
}

export interface IniDocument {
  readonly file: string;
  readonly sections: IniSection[];
  readonly diagnostics: IniDiagnostic[];
}

/**
 * A comment starts at `#` or `;` at the start of a line or after whitespace, the rule the AWS SDK
 * for JavaScript applies, so `region = us-east-1 # prod` reads as `us-east-1`.
 */
function stripComment(line: string): string {
  const match = /(^|\s)[;#]/.exec(line);
  return match ? line.slice(0, match.index) : line;
}

function isIndented(line: string): boolean {
  return line.length > 0 && (line[0] === ' ' || line[0] === '\t');
}

/**
 * Parses one file's text. Never throws: every line it cannot understand becomes a diagnostic and is
 * skipped, and a section whose header is broken has its lines skipped until the next good header.
 */
export function parseIni(text: string, file: string): IniDocument {
  const sections: IniSection[] = [];
  const diagnostics: IniDiagnostic[] = [];
  const byHeader = new Map<string, IniSection>();
  let current: IniSection | undefined;
  /** True while skipping the body of a section whose header could not be read. */
  let skipping = false;
  let nestedKey: string | undefined;
  let lastKey: string | undefined;

  const report = (line: number, severity: 'error' | 'warning', what: string) => {
    const diagnostic: IniDiagnostic = {
      file,
      line,
      severity,
      message: `${file}, line ${line}: ${what}`,
      ...(current !== undefined && !skipping && { section: current.header }),
    };
    diagnostics.push(diagnostic);
  };

  if (text.includes('\u0000')) {
    return {
      file,
      sections,
      diagnostics: [
        {
          file,
          severity: 'error',
          message: `${file}: this is not a text file (it contains NUL bytes); it was ignored.`,
        },
      ],
    };
  }

  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const lineNo = index + 1;
    const content = stripComment(raw).trim();
    if (content === '') continue;

    if (content.startsWith('[')) {
      nestedKey = undefined;
      lastKey = undefined;
      if (!content.endsWith(']')) {
        current = undefined;
        skipping = true;
        report(
          lineNo,
          'error',
          `the section header "${content}" has no closing "]"; the settings below it, up to the next section, were ignored.`,
        );
        continue;
      }
      const header = content.slice(1, -1).trim().replace(/\s+/g, ' ');
      if (header === '' || header.includes('[') || header.includes(']')) {
        current = undefined;
        skipping = true;
        report(
          lineNo,
          'error',
          `"${content}" is not a valid section header; the settings below it, up to the next section, were ignored.`,
        );
        continue;
      }
      skipping = false;
      const existing = byHeader.get(header);
      if (existing) {
        current = existing;
        report(
          lineNo,
          'warning',
          `section [${header}] appears again (first at line ${existing.line}); its settings were merged, later values win.`,
        );
      } else {
        current = { header, file, line: lineNo, values: new Map(), nested: new Map() };
        byHeader.set(header, current);
        sections.push(current);
      }
      continue;
    }

    if (skipping) continue;
    if (!current) {
      report(lineNo, 'error', `"${content}" comes before any [section] header; it was ignored.`);
      continue;
    }

    const eq = content.indexOf('=');
    if (eq === -1) {
      // An indented line without "=" continues the previous value, as the AWS CLI's parser reads it.
      if (isIndented(raw) && lastKey !== undefined && nestedKey === undefined) {
        const previous = current.values.get(lastKey) ?? '';
        current.values.set(lastKey, previous === '' ? content : `${previous} ${content}`);
        continue;
      }
      report(
        lineNo,
        'error',
        `expected "key = value" but found "${content}"; the line was ignored.`,
      );
      continue;
    }
    const key = content.slice(0, eq).trim().toLowerCase();
    const value = content.slice(eq + 1).trim();
    if (key === '') {
      report(lineNo, 'error', `"${content}" has no key before "="; the line was ignored.`);
      continue;
    }

    if (nestedKey !== undefined && isIndented(raw)) {
      let block = current.nested.get(nestedKey);
      if (!block) {
        block = new Map();
        current.nested.set(nestedKey, block);
      }
      block.set(key, value);
      continue;
    }
    nestedKey = undefined;
    if (value === '') {
      // Either an empty setting or the start of a nested block; the next lines decide.
      nestedKey = key;
      lastKey = undefined;
      current.values.set(key, '');
      continue;
    }
    current.values.set(key, value);
    lastKey = key;
  }

  return { file, sections, diagnostics };
}

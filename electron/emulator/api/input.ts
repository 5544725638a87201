// Reading JSON 1.1 request members the way AWS does: wrong types are SerializationException, broken constraints one ValidationException listing them all.

import { ApiError } from './errors';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a JSON 1.1 body; an empty body is an empty input, as AWS accepts it. */
export function parseJsonBody(body: Uint8Array): JsonObject {
  const text = Buffer.from(body).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'Could not parse the request body as JSON');
  }
  if (!isObject(value)) {
    throw new ApiError(
      'SerializationException',
      'Start of structure or map expected in the request body',
    );
  }
  return value;
}

/** AWS names members in validation messages with a lower-case first letter (`maxResults`). */
function memberPath(path: string): string {
  return path
    .split('.')
    .map((part) => (part === '' ? part : part[0]?.toLowerCase() + part.slice(1)))
    .join('.');
}

/** How AWS quotes a value in a validation message; structures are not echoed. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(scalarText).join(', ')}]`;
  return `'${scalarText(value)}'`;
}

function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '…';
}

interface StringRules {
  min?: number;
  max?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

/**
 * Collects constraint violations for one request; `done()` throws them as one ValidationException
 * ("2 validation errors detected: …; …"), which is how AWS reports them.
 */
export class InputReader {
  private readonly problems: string[] = [];

  constructor(private readonly input: JsonObject) {}

  private violation(path: string, value: unknown, constraint: string): void {
    this.problems.push(
      `Value ${shown(value)} at '${memberPath(path)}' failed to satisfy constraint: ${constraint}`,
    );
  }

  private typeError(path: string, expected: string): never {
    throw new ApiError('SerializationException', `Expected ${expected} for ${memberPath(path)}`);
  }

  checkString(value: unknown, path: string, rules: StringRules = {}): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.typeError(path, 'a string');
    if (rules.min !== undefined && value.length < rules.min) {
      this.violation(path, value, `Member must have length greater than or equal to ${rules.min}`);
    } else if (rules.max !== undefined && value.length > rules.max) {
      this.violation(path, value, `Member must have length less than or equal to ${rules.max}`);
    } else if (rules.oneOf !== undefined && !rules.oneOf.includes(value)) {
      this.violation(
        path,
        value,
        `Member must satisfy enum value set: [${rules.oneOf.join(', ')}]`,
      );
    } else if (rules.pattern !== undefined && !rules.pattern.test(value)) {
      this.violation(
        path,
        value,
        `Member must satisfy regular expression pattern: ${rules.pattern.source}`,
      );
    }
    return value;
  }

  /** Like checkString, but a missing value is a violation ("Member must not be null"). */
  checkRequiredString(value: unknown, path: string, rules: StringRules = {}): string {
    const checked = this.checkString(value, path, rules);
    if (checked === undefined) {
      this.violation(path, undefined, 'Member must not be null');
      return '';
    }
    return checked;
  }

  string(name: string, rules: StringRules = {}): string | undefined {
    return this.checkString(this.input[name], name, rules);
  }

  requiredString(name: string, rules: StringRules = {}): string {
    return this.checkRequiredString(this.input[name], name, rules);
  }

  integer(name: string, rules: { min?: number; max?: number } = {}): number | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) this.typeError(name, 'an integer');
    if (rules.min !== undefined && value < rules.min) {
      this.violation(name, value, `Member must have value greater than or equal to ${rules.min}`);
    } else if (rules.max !== undefined && value > rules.max) {
      this.violation(name, value, `Member must have value less than or equal to ${rules.max}`);
    }
    return value;
  }

  /** A list member; `each` reads one element (index is 1-based in messages, like AWS's `member`). */
  list<T>(
    name: string,
    each: (value: unknown, path: string) => T,
    rules: { min?: number; max?: number } = {},
    container: JsonObject = this.input,
    prefix = '',
  ): T[] | undefined {
    const value = container[name];
    const path = `${prefix}${name}`;
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.typeError(path, 'a list');
    if (rules.min !== undefined && value.length < rules.min) {
      this.violation(path, value, `Member must have length greater than or equal to ${rules.min}`);
    } else if (rules.max !== undefined && value.length > rules.max) {
      this.violation(path, value, `Member must have length less than or equal to ${rules.max}`);
    }
    return value.map((item, index) => each(item, `${path}.${index + 1}.member`));
  }

  /** A structure inside a list or member; wrong type is a SerializationException. */
  object(value: unknown, path: string): JsonObject {
    if (!isObject(value)) this.typeError(path, 'a structure');
    return value;
  }

  /** A map of string to string (e.g. KMS EncryptionContext). */
  stringMap(name: string): Record<string, string> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.typeError(name, 'a map');
    const out: Record<string, string> = {};
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== 'string') this.typeError(`${name}.${key}`, 'a string');
      out[key] = item;
    }
    return out;
  }

  /** A map of string to list of strings (StartSession Parameters). */
  stringListMap(name: string): Record<string, string[]> | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) this.typeError(name, 'a map');
    const out: Record<string, string[]> = {};
    for (const [key, item] of Object.entries(value)) {
      if (!Array.isArray(item) || item.some((v) => typeof v !== 'string')) {
        this.typeError(`${name}.${key}`, 'a list of strings');
      }
      out[key] = item as string[];
    }
    return out;
  }

  boolean(name: string): boolean | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.typeError(name, 'a boolean');
    return value;
  }

  /** A base64 blob member (KMS CiphertextBlob, Plaintext). */
  blob(name: string, rules: { min?: number; max?: number } = {}): Buffer | undefined {
    const value = this.input[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
      this.typeError(name, 'a base64 string');
    }
    const bytes = Buffer.from(value, 'base64');
    if (rules.min !== undefined && bytes.length < rules.min) {
      this.violation(
        name,
        '[binary]',
        `Member must have length greater than or equal to ${rules.min}`,
      );
    } else if (rules.max !== undefined && bytes.length > rules.max) {
      this.violation(
        name,
        '[binary]',
        `Member must have length less than or equal to ${rules.max}`,
      );
    }
    return bytes;
  }

  /** Throws the collected violations, if any. */
  done(messageKey: 'message' | 'Message' = 'Message'): void {
    if (this.problems.length === 0) return;
    const count = this.problems.length;
    throw new ApiError(
      'ValidationException',
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.problems.join('; ')}`,
      400,
      messageKey,
    );
  }
}

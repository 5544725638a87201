// Reading a region's Session Manager preferences (the SSM-SessionManagerRunShell document's
// `inputs`) into what the UI shows: Run As, shell profile, KMS, S3 and CloudWatch logging, and the
// idle and maximum session durations that decide when Session Manager cuts a session.
import type { SessionPreferences } from '../../../shared/ipc';
import { scalarText } from './documents-api';

/** The preferences document; StartSession without DocumentName uses it when it exists. */
export const PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';

/** Session Manager's idle timeout when nothing sets one (minutes). */
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 20;
/** The console's allowed ranges (minutes). */
const IDLE_RANGE = { min: 1, max: 60 };
const MAX_DURATION_RANGE = { min: 1, max: 1440 };

/** What applies where no preferences document exists. */
export const DEFAULT_PREFERENCES: SessionPreferences = Object.freeze({
  configured: false,
  runAs: { enabled: false },
  shellProfile: {},
  idleTimeoutMinutes: DEFAULT_IDLE_TIMEOUT_MINUTES,
});

export class PreferencesFormatError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty trimmed string, or undefined. */
function text(value: unknown): string | undefined {
  const s = scalarText(value)?.trim();
  return s === undefined || s === '' ? undefined : s;
}

/** The console writes flags as booleans; documents written by hand may use "true"/"false". */
function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return fallback;
}

/** Minutes within a range; out of range or unreadable is undefined (the service refuses those). */
function minutes(value: unknown, range: { min: number; max: number }): number | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isInteger(n) && n >= range.min && n <= range.max ? n : undefined;
}

/** Reads the preferences document's JSON content; throws PreferencesFormatError if it is not one. */
export function parsePreferences(content: string): SessionPreferences {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new PreferencesFormatError('the preferences document is not JSON');
  }
  if (!isRecord(json) || !isRecord(json.inputs)) {
    throw new PreferencesFormatError('the preferences document has no inputs');
  }
  const inputs = json.inputs;
  const shell = isRecord(inputs.shellProfile) ? inputs.shellProfile : {};
  const linux = text(shell.linux);
  const windows = text(shell.windows);
  const defaultUser = text(inputs.runAsDefaultUser);
  const kmsKeyId = text(inputs.kmsKeyId);
  const bucketName = text(inputs.s3BucketName);
  const keyPrefix = text(inputs.s3KeyPrefix);
  const logGroupName = text(inputs.cloudWatchLogGroupName);
  const maxDurationMinutes = minutes(inputs.maxSessionDuration, MAX_DURATION_RANGE);
  return {
    configured: true,
    runAs: {
      enabled: flag(inputs.runAsEnabled, false),
      ...(defaultUser !== undefined && { defaultUser }),
    },
    shellProfile: {
      ...(linux !== undefined && { linux }),
      ...(windows !== undefined && { windows }),
    },
    ...(kmsKeyId !== undefined && { kmsKeyId }),
    ...(bucketName !== undefined && {
      s3: {
        bucketName,
        ...(keyPrefix !== undefined && { keyPrefix }),
        encrypted: flag(inputs.s3EncryptionEnabled, true),
      },
    }),
    ...(logGroupName !== undefined && {
      cloudWatch: {
        logGroupName,
        encrypted: flag(inputs.cloudWatchEncryptionEnabled, true),
        streaming: flag(inputs.cloudWatchStreamingEnabled, false),
      },
    }),
    idleTimeoutMinutes:
      minutes(inputs.idleSessionTimeout, IDLE_RANGE) ?? DEFAULT_IDLE_TIMEOUT_MINUTES,
    ...(maxDurationMinutes !== undefined && { maxDurationMinutes }),
  };
}

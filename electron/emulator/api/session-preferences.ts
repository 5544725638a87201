// The sandbox's Session Manager preferences per region: the account's SSM-SessionManagerRunShell
// document (a JSON Session document owned by the account) and the limits the service applies to
// every session of that region. A region without the document gets the service's defaults.

import type { SessionDefaults } from './context';

/** The preferences document's name; the console creates it when preferences are first saved. */
export const PREFERENCES_DOCUMENT = 'SSM-SessionManagerRunShell';

/** Session Manager's idle timeout when nothing configures one (minutes). */
export const DEFAULT_IDLE_MINUTES = 20;

/** The `inputs` of the preferences document, as the console writes them (all strings but flags). */
export interface PreferenceInputs {
  s3BucketName?: string;
  s3KeyPrefix?: string;
  s3EncryptionEnabled?: boolean;
  cloudWatchLogGroupName?: string;
  cloudWatchEncryptionEnabled?: boolean;
  cloudWatchStreamingEnabled?: boolean;
  kmsKeyId?: string;
  runAsEnabled?: boolean;
  runAsDefaultUser?: string;
  /** Minutes, 1 to 60. */
  idleSessionTimeout?: string;
  /** Minutes, 1 to 1440; empty means none. */
  maxSessionDuration?: string;
  shellProfile?: { linux?: string; windows?: string };
}

/** Per region: the preferences document's inputs, or null when the region has none. */
export type RegionPreferences = Readonly<Record<string, PreferenceInputs | null>>;

/** The console's document for a set of preferences (schema 1.0, sessionType Standard_Stream). */
export function preferencesContent(inputs: PreferenceInputs): string {
  const full = {
    s3BucketName: '',
    s3KeyPrefix: '',
    s3EncryptionEnabled: true,
    cloudWatchLogGroupName: '',
    cloudWatchEncryptionEnabled: true,
    cloudWatchStreamingEnabled: false,
    kmsKeyId: '',
    runAsEnabled: false,
    runAsDefaultUser: '',
    idleSessionTimeout: String(DEFAULT_IDLE_MINUTES),
    maxSessionDuration: '',
    shellProfile: { windows: '', linux: '' },
    ...inputs,
  };
  return JSON.stringify(
    {
      schemaVersion: '1.0',
      description: 'Document to hold regional settings for Session Manager',
      sessionType: 'Standard_Stream',
      inputs: full,
    },
    null,
    2,
  );
}

function minutes(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (String(value).trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed * 60_000 : undefined;
}

/**
 * What a Standard_Stream document's inputs impose on a session (idle, maximum, KMS); a document
 * written in YAML may hold numbers where the console writes strings.
 */
export function limitsOf(inputs: Readonly<Record<string, unknown>>): SessionDefaults {
  const idleTimeoutMs = minutes(inputs.idleSessionTimeout) ?? DEFAULT_IDLE_MINUTES * 60_000;
  const maxDurationMs = minutes(inputs.maxSessionDuration);
  const kmsKeyId = typeof inputs.kmsKeyId === 'string' ? inputs.kmsKeyId.trim() : undefined;
  return {
    idleTimeoutMs,
    ...(maxDurationMs !== undefined && { maxDurationMs }),
    ...(kmsKeyId !== undefined && kmsKeyId !== '' && { kmsKeyId }),
  };
}

/**
 * The preferences of every region. Regions nobody configured keep the sandbox-wide defaults
 * (`airlock sandbox` options, which may use sub-minute timeouts for tests) and a document that
 * states the service's 20-minute default.
 */
export class SandboxPreferences {
  private readonly regions = new Map<string, PreferenceInputs | null>();

  constructor(
    private readonly defaults: SessionDefaults,
    configured: RegionPreferences = {},
  ) {
    for (const [region, inputs] of Object.entries(configured)) this.set(region, inputs);
  }

  /** Configures a region (null removes its document); applies to sessions started afterwards. */
  set(region: string, inputs: PreferenceInputs | null): void {
    this.regions.set(region, inputs === null ? null : { ...inputs });
  }

  /** The region's document inputs, or undefined when the region has no preferences document. */
  inputs(region: string): PreferenceInputs | undefined {
    const configured = this.regions.get(region);
    if (configured === null) return undefined;
    return configured ?? this.defaultInputs();
  }

  /** The limits a new session in the region gets. */
  limits(region: string): SessionDefaults {
    const configured = this.regions.get(region);
    if (configured === undefined) return this.defaults;
    // No document: the service's own defaults (a 20-minute idle timeout, nothing else).
    return limitsOf({ ...configured });
  }

  private defaultInputs(): PreferenceInputs {
    const { idleTimeoutMs, maxDurationMs, kmsKeyId } = this.defaults;
    const whole = (ms: number | undefined) =>
      ms !== undefined && ms % 60_000 === 0 ? String(ms / 60_000) : undefined;
    const idle = whole(idleTimeoutMs);
    const max = whole(maxDurationMs);
    return {
      ...(idle !== undefined && { idleSessionTimeout: idle }),
      ...(max !== undefined && { maxSessionDuration: max }),
      ...(kmsKeyId !== undefined && { kmsKeyId }),
    };
  }
}

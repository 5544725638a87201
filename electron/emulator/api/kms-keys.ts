// The sandbox's KMS: symmetric keys per account and region, data keys, and Decrypt bound to the encryption context.

import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

export interface KmsKey {
  /** UUID key id. */
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  /** Alias names including the `alias/` prefix. */
  aliases: readonly string[];
  createdAt: number;
}

/** A KMS failure with the AWS error code the API layer returns (e.g. `InvalidCiphertextException`). */
export class KmsError extends Error {
  override readonly name = 'KmsError';

  constructor(
    readonly code:
      | 'NotFoundException'
      | 'InvalidCiphertextException'
      | 'IncorrectKeyException'
      | 'ValidationException'
      | 'AccessDeniedException',
    message: string,
  ) {
    super(message);
  }
}

export interface KeyScope {
  accountId: string;
  region: string;
}

export interface GenerateDataKeyRequest extends KeyScope {
  keyId: string;
  /** 1..1024; exactly one of numberOfBytes and keySpec. */
  numberOfBytes?: number;
  keySpec?: 'AES_256' | 'AES_128';
  encryptionContext?: Readonly<Record<string, string>>;
}

export interface EncryptRequest extends KeyScope {
  keyId: string;
  plaintext: Uint8Array;
  encryptionContext?: Readonly<Record<string, string>>;
}

export interface DecryptRequest {
  ciphertextBlob: Uint8Array;
  /** Must equal the context the blob was made with, as in KMS. */
  encryptionContext?: Readonly<Record<string, string>>;
  /** When given, the blob must have been made with this key (id, ARN, alias or alias ARN). */
  keyId?: string;
  /** The caller's account and region; omitted for in-process callers such as the agent emulator. */
  scope?: KeyScope;
}

export interface DataKeyResult {
  keyArn: string;
  /** Key material: never log it. */
  plaintext: Uint8Array;
  ciphertextBlob: Uint8Array;
}

export interface DecryptResult {
  keyArn: string;
  plaintext: Uint8Array;
}

interface StoredKey extends KmsKey {
  /** Names the key inside blobs; a key id alone is ambiguous, as one id may exist per region. */
  handle: string;
  material: Buffer;
  aliases: string[];
}

// Blob layout: magic(4) | key handle(16) | iv(12) | tag(16) | ciphertext.
const MAGIC = Buffer.from('ALK1', 'ascii');
const HANDLE_LENGTH = 16;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = MAGIC.length + HANDLE_LENGTH + IV_LENGTH + TAG_LENGTH;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(key\/[0-9a-f-]{36}|alias\/[\w/-]+)$/;

/** A key without its material or blob handle, safe to hand out and to log. */
function publicView({ material: _material, handle: _handle, ...key }: StoredKey): KmsKey {
  return key;
}

/** The context as authenticated data: key order must not matter, as in KMS. */
function contextBytes(context: Readonly<Record<string, string>> | undefined): Buffer {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export class SandboxKms {
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly random: (size: number) => Uint8Array = randomBytes) {}

  /**
   * Creates a key in one account and region. `keyId` may be a UUID (kept as the key id, like a
   * multi-Region key that has the same id everywhere) or an alias (`alias/…`, attached to a new key).
   * Asking again for the same id or alias in the same scope returns the existing key.
   */
  createKey(scope: KeyScope, keyId?: string, now = Date.now()): KmsKey {
    if (keyId !== undefined) {
      const existing = this.find(scope, keyId);
      if (existing) return publicView(existing);
    }
    const alias = keyId?.startsWith('alias/') ? keyId : undefined;
    const id = keyId !== undefined && alias === undefined ? keyId.toLowerCase() : randomUUID();
    if (!UUID.test(id) || (alias !== undefined && !/^alias\/[\w/-]{1,250}$/.test(alias))) {
      throw new KmsError(
        'ValidationException',
        `Invalid key id ${keyId ?? ''}: use a key id (UUID), alias/name or a key ARN`,
      );
    }
    const handle = Buffer.from(this.random(HANDLE_LENGTH)).toString('hex');
    const key: StoredKey = {
      keyId: id,
      arn: `arn:aws:kms:${scope.region}:${scope.accountId}:key/${id}`,
      accountId: scope.accountId,
      region: scope.region,
      aliases: alias ? [alias] : [],
      createdAt: now,
      handle,
      material: Buffer.from(this.random(32)),
    };
    this.keys.set(handle, key);
    return publicView(key);
  }

  /**
   * Makes `keyRef` (the sandbox's session KMS key) usable: an alias or key id gets a key in every
   * account and region given, so sessions anywhere in the fleet can use it; a key ARN names its own.
   */
  ensureKey(keyRef: string, scopes: readonly KeyScope[]): void {
    const arn = KEY_ARN.exec(keyRef);
    if (arn) {
      const [, region = '', accountId = '', resource = ''] = arn;
      this.createKey(
        { accountId, region },
        resource.startsWith('key/') ? resource.slice(4) : resource,
      );
      return;
    }
    for (const scope of scopes) this.createKey(scope, keyRef);
  }

  /** Finds a key by id, key ARN, alias name or alias ARN, as seen from one account and region. */
  resolve(scope: KeyScope, keyRef: string): KmsKey | undefined {
    const key = this.find(scope, keyRef);
    return key && publicView(key);
  }

  list(): KmsKey[] {
    return [...this.keys.values()].map(publicView);
  }

  generateDataKey(request: GenerateDataKeyRequest): DataKeyResult {
    const hasBytes = request.numberOfBytes !== undefined;
    const hasSpec = request.keySpec !== undefined;
    if (hasBytes === hasSpec) {
      throw new KmsError(
        'ValidationException',
        'Please specify either number of bytes or key spec.',
      );
    }
    let size: number;
    if (request.keySpec !== undefined) {
      size = request.keySpec === 'AES_128' ? 16 : 32;
    } else {
      size = request.numberOfBytes ?? 0;
      if (!Number.isInteger(size) || size < 1 || size > 1024) {
        throw new KmsError(
          'ValidationException',
          `1 validation error detected: Value '${size}' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024`,
        );
      }
    }
    const plaintext = Buffer.from(this.random(size));
    const { keyArn, ciphertextBlob } = this.encrypt({
      accountId: request.accountId,
      region: request.region,
      keyId: request.keyId,
      plaintext,
      ...(request.encryptionContext !== undefined && {
        encryptionContext: request.encryptionContext,
      }),
    });
    return { keyArn, plaintext, ciphertextBlob };
  }

  encrypt(request: EncryptRequest): { keyArn: string; ciphertextBlob: Uint8Array } {
    const key = this.require(request, request.keyId);
    const iv = Buffer.from(this.random(IV_LENGTH));
    const cipher = createCipheriv('aes-256-gcm', key.material, iv);
    cipher.setAAD(contextBytes(request.encryptionContext));
    const body = Buffer.concat([cipher.update(request.plaintext), cipher.final()]);
    const blob = Buffer.concat([
      MAGIC,
      Buffer.from(key.handle, 'hex'),
      iv,
      cipher.getAuthTag(),
      body,
    ]);
    return { keyArn: key.arn, ciphertextBlob: blob };
  }

  decrypt(request: DecryptRequest): DecryptResult {
    const blob = Buffer.from(request.ciphertextBlob);
    if (blob.length < HEADER_LENGTH || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new KmsError('InvalidCiphertextException', '');
    }
    const handle = blob.subarray(MAGIC.length, MAGIC.length + HANDLE_LENGTH).toString('hex');
    const key = this.keys.get(handle);
    if (!key) throw new KmsError('InvalidCiphertextException', '');
    if (
      request.scope &&
      (request.scope.accountId !== key.accountId || request.scope.region !== key.region)
    ) {
      throw new KmsError(
        'AccessDeniedException',
        'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
      );
    }
    if (request.keyId !== undefined) {
      const named = this.find(request.scope ?? key, request.keyId);
      if (!named || named.handle !== key.handle) {
        throw new KmsError(
          'IncorrectKeyException',
          'The key ID in the request does not identify a CMK that can perform this operation.',
        );
      }
    }
    let offset = MAGIC.length + HANDLE_LENGTH;
    const iv = blob.subarray(offset, (offset += IV_LENGTH));
    const tag = blob.subarray(offset, (offset += TAG_LENGTH));
    const body = blob.subarray(offset);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.material, iv);
      decipher.setAAD(contextBytes(request.encryptionContext));
      decipher.setAuthTag(tag);
      const plaintext = Buffer.concat([decipher.update(body), decipher.final()]);
      return { keyArn: key.arn, plaintext };
    } catch {
      // A different context, a tampered blob or a wrong key all look the same, as in KMS.
      throw new KmsError('InvalidCiphertextException', '');
    }
  }

  private require(scope: KeyScope, keyRef: string): StoredKey {
    const key = this.find(scope, keyRef);
    if (!key) {
      const what = keyRef.includes('alias/') ? 'Alias' : 'Key';
      const arn = keyRef.startsWith('arn:')
        ? keyRef
        : keyRef.startsWith('alias/')
          ? `arn:aws:kms:${scope.region}:${scope.accountId}:${keyRef}`
          : `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyRef}`;
      throw new KmsError(
        'NotFoundException',
        what === 'Alias' ? `Alias ${arn} is not found.` : `Key '${arn}' does not exist`,
      );
    }
    return key;
  }

  private find(scope: KeyScope, keyRef: string): StoredKey | undefined {
    let accountId = scope.accountId;
    let region = scope.region;
    let resource = keyRef;
    const arn = KEY_ARN.exec(keyRef);
    if (arn) {
      region = arn[1] ?? '';
      accountId = arn[2] ?? '';
      resource = arn[3] ?? '';
      if (region !== scope.region) return undefined;
    }
    if (resource.startsWith('key/')) resource = resource.slice(4);
    for (const key of this.keys.values()) {
      if (key.accountId !== accountId || key.region !== region) continue;
      if (resource.startsWith('alias/') ? key.aliases.includes(resource) : key.keyId === resource) {
        return key;
      }
    }
    return undefined;
  }
}

// CodecError: the single error type thrown by the data-channel codec, with a stable machine-readable code.

export type CodecErrorCode =
  | 'frame-too-short'
  | 'frame-too-large'
  | 'bad-header-length'
  | 'bad-message-type'
  | 'bad-schema-version'
  | 'bad-created-date'
  | 'bad-sequence'
  | 'bad-flags'
  | 'bad-message-id'
  | 'bad-payload-type'
  | 'payload-too-large'
  | 'digest-mismatch'
  | 'bad-json'
  | 'bad-ack'
  | 'bad-channel-closed'
  | 'bad-handshake'
  | 'bad-challenge'
  | 'bad-size'
  | 'bad-flag'
  | 'bad-exit-code'
  | 'bad-open-data-channel';

export class CodecError extends Error {
  override readonly name = 'CodecError';

  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isCodecError(value: unknown): value is CodecError {
  return value instanceof CodecError;
}

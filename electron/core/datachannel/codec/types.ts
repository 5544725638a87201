// Typed view of one SSM data-channel ClientMessage (datachannel/README.md §1 and §2).

export const MessageType = {
  InputStreamData: 'input_stream_data',
  OutputStreamData: 'output_stream_data',
  Acknowledge: 'acknowledge',
  ChannelClosed: 'channel_closed',
  StartPublication: 'start_publication',
  PausePublication: 'pause_publication',
  AgentSessionState: 'agent_session_state',
} as const;
export type KnownMessageType = (typeof MessageType)[keyof typeof MessageType];

export const PayloadType = {
  Undefined: 0,
  Output: 1,
  Error: 2,
  Size: 3,
  Parameter: 4,
  HandshakeRequest: 5,
  HandshakeResponse: 6,
  HandshakeComplete: 7,
  EncChallengeRequest: 8,
  EncChallengeResponse: 9,
  Flag: 10,
  StdErr: 11,
  ExitCode: 12,
} as const;
export type PayloadTypeValue = (typeof PayloadType)[keyof typeof PayloadType];

/** Values carried by a PayloadType.Flag message (datachannel/README.md §2.3). */
export const FlagValue = {
  DisconnectToPort: 1,
  TerminateSession: 2,
  ConnectToPortError: 3,
} as const;

/** Header Flags field values (datachannel/README.md §1.3). */
export const HeaderFlags = { None: 0, Syn: 1, Fin: 2, AckOrControl: 3 } as const;

export interface ClientMessage {
  /** Message type string, padding stripped (may be a type this codec does not know). */
  messageType: string;
  schemaVersion: number;
  /** Unix epoch milliseconds. */
  createdDate: number;
  /** int64 on the wire; safe-integer range is enforced by the codec. */
  sequenceNumber: number;
  /** uint64 on the wire; only 0..3 are used. */
  flags: number;
  /** Lowercase hyphenated UUID. */
  messageId: string;
  payloadType: number;
  payload: Uint8Array;
}

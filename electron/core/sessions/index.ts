// Public surface of the client session engine: open a session, then drive its shell or port type.

export { DataChannelSession, openSession, type OpenSessionOptions } from './engine';
export {
  launchSession,
  openStartedSession,
  requestSession,
  type EngineOptions,
  type LaunchSessionOptions,
  type OpenStartedSessionOptions,
  type SessionApis,
} from './launcher';
export type { CloseReason, ReadySession, SessionInfo, SessionStatus } from './session-types';
export { SessionError, type SessionErrorCode } from './errors';
export {
  DEFAULT_TERMINAL_SIZE,
  ShellSession,
  type OutputStream,
  type TerminalSize,
} from './shell-session';
export {
  choosePortMode,
  type PortEvent,
  type PortForwardSession,
  type PortMode,
  type PortProperties,
  type PortStats,
} from './port-session';
export { compareVersions, isVersionGreater } from '../datachannel/version-compare';
export type { BackoffOptions } from './backoff';

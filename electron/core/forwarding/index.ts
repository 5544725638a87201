// Public surface of port forwarding for the composition root, IPC handlers, CLI and tray.

export { ForwardManager } from './manager';
export type {
  ForwardGroupInfo,
  ForwardInfo,
  ForwardManagerEvent,
  ForwardManagerOptions,
} from './manager';
export type { ForwardTuning } from './forward';
export type { ForwardStats } from './statistics';
export { ForwardError } from './errors';
export type { ForwardErrorCode, ForwardWarning } from './errors';
export {
  DEFAULT_BIND_ADDRESS,
  ForwardSpecSchema,
  describeRemote,
  formatHostPort,
  isLoopbackAddress,
  parseForwardSpec,
} from './spec';
export type { ForwardSpec, ForwardSpecInput } from './spec';
export { INITIAL_FORWARD_STATE, forwardNotice, forwardReducer, isRunning } from './state';
export type { ForwardEvent, ForwardNotice, ForwardState, ForwardStatus } from './state';
export type {
  PortSessionClosed,
  PortSessionEvent,
  PortSessionHandle,
  PortSessionMode,
  SessionStarter,
} from './session-starter';
export {
  INSTANCE_PORT_DOCUMENT,
  REMOTE_HOST_DOCUMENT,
  classifyStartError,
  createEngineSessionStarter,
} from './engine-starter';
export type { EngineSessionStarterOptions, ForwardAwsApis } from './engine-starter';

// Public surface of file transfers over Session Manager: upload through a pty receiver, download from a command's output.

export {
  commandSessionOpener,
  DOWNLOAD_DOCUMENT,
  UPLOAD_DOCUMENT,
  type CommandSession,
  type CommandSessionOpener,
} from './command-session';
export { downloadFiles, remoteBaseName } from './download';
export { TransferError, type TransferErrorCode } from './errors';
export type { TransferProgress } from './progress';
export { platformOfType, type RemotePlatform } from './remote-scripts';
export {
  uploadFiles,
  type OverwritePolicy,
  type TransferOptions,
  type TransferResult,
} from './upload';

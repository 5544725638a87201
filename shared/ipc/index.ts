// Public surface of shared/ipc: the contract, Result envelope, Api client and browser bridge client.
export * from './result';
export * from './channel';
export * from './contract';
export * from './client';
export * from './schemas/app';
export * from './schemas/inventory';
export * from './schemas/documents';
export * from './schemas/sessions';
export * from './schemas/session-history';
export * from './schemas/settings';
export * from './schemas/forwards';
export * from './schemas/profiles';
export * from './schemas/sources';
export * from './schemas/ssh';
export * from './schemas/identity-center';
export * from './bridge-protocol';
export * from './bridge-client';
export { bytesToBase64, base64ToBytes, toWire, fromWire, WireDecodeError } from './wire';

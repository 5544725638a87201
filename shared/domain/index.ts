// Public surface of shared/domain: branded ids and small value types used on both sides of IPC.
export * from './ids';
export * from './connection';
export * from './settings';
export * from './production';

// The bottom layer of core: lifecycle, events, errors and the ports for time, randomness, files
// and logging. It imports only shared/domain and Node built-ins.
export * from './atomic-write';
export * from './clock';
export * from './errors';
export * from './event';
export * from './fs';
export * from './lifecycle';
export * from './limiter';
export * from './logger';
export * from './random';
export * from './shutdown';

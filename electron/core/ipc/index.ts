// Public surface of the core IPC router.
export * from './router';

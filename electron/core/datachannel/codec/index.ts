// Public surface of the data-channel codec: framing, ids and every payload format.

export * from './types';
export * from './errors';
export * from './uuid';
export * from './frame';
export * from './ack';
export * from './channel-closed';
export * from './handshake';
export * from './scalars';
export * from './open-data-channel';

// What Electron's preload exposes as `window.airlock`: a bare carrier for IPC, with no schema code.
// Main validates every request against the contract; the renderer builds the typed Api on top
// (createApiClient), so the sandboxed preload stays small and mechanical. Imports nothing.

/** The global the Electron preload defines (`window.airlock`); absent in browser mode. */
export const API_GLOBAL_NAME = 'airlock';

/**
 * Contract channel names are `domain:verb` in lower case (the contract test holds every name to
 * this). The preload refuses anything else, so a page can never reach Electron's own channels.
 */
export const CHANNEL_NAME_PATTERN = /^[a-z]+:[a-z]+(-[a-z]+)*$/;

export function isContractShapedChannelName(name: unknown): name is string {
  return typeof name === 'string' && CHANNEL_NAME_PATTERN.test(name);
}

/** The object behind `window.airlock`: invoke resolves with main's raw Result envelope. */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

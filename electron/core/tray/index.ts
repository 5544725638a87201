// Public surface of the tray model: the pure menu builder and the window-close decision.

export { buildTrayMenu, formatRate, trayStateFromForwards } from './menu';
export type { TrayForward, TrayIcon, TrayIntent, TrayMenu, TrayMenuItem, TrayState } from './menu';
export { decideWindowClose } from './close-notice';
export type { WindowCloseDecision, WindowCloseInput } from './close-notice';

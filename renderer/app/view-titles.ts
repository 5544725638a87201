// The name of each view, as the sidebar and the header show it.
import type { View } from './store';

export const VIEW_TITLES: Readonly<Record<View, string>> = {
  inventory: 'Inventory',
  terminals: 'Terminals',
  forwards: 'Forwards',
  profiles: 'Profiles',
  sessions: 'Sessions',
  recordings: 'Recordings',
  sources: 'Sources',
  settings: 'Settings',
};

// A full garbage collection on demand, for memory figures that should show live memory rather
// than garbage. Its own module, so a process bundled for a figure imports nothing else with it.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

// Test fixture run as a child process: starts an atomic write of a large profiles file and stalls midway so the test can SIGKILL it.

import { writeFileAtomic } from '../base/atomic-write';
import { serializeProfiles } from './store';
import type { ConnectionProfile } from './schema';

const [targetPath, countText] = process.argv.slice(2);
if (!targetPath || !countText) throw new Error('usage: crash-writer <profiles.json> <count>');

const profiles: ConnectionProfile[] = [];
for (let i = 0; i < Number(countText); i++) {
  profiles.push({
    kind: 'shell',
    id: `bulk-${i}`,
    name: `Bulk profile ${i} ${'x'.repeat(60)}`,
    region: 'eu-west-1',
    target: { by: 'id', id: `i-${i.toString(16).padStart(17, '0')}` },
  });
}
const text = serializeProfiles(profiles);

let announced = false;
await writeFileAtomic(targetPath, text, {
  chunkSize: 16 * 1024,
  onProgress: (written, total) => {
    if (announced) return;
    announced = true;
    process.send?.({ written, total });
    // Block here, mid-write, until the parent kills this process.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
  },
});
process.send?.({ finished: true });

import path from 'node:path';
import { spawn as spawnPty } from 'node-pty';
import { BenchClient, WEB_INSTANCE } from './lib/client';
import { startBenchSandbox } from './lib/sandbox-host';
import { MARKER, MarkerCounter, floodCommand } from './figures/shell';
const cliEntry = path.resolve('out/cli/airlock.mjs');
const sandbox = await startBenchSandbox({ pacing: false }, 'process');
const client = new BenchClient(sandbox);
const extra = process.argv.slice(2);
const started = await client.ssm.startSession({ target: WEB_INSTANCE });
const response = JSON.stringify({ SessionId: started.sessionId, TokenValue: started.tokenValue, StreamUrl: started.streamUrl });
const pty = spawnPty(process.execPath, [...extra, cliEntry, 'plugin', response, sandbox.region, 'StartSession', '', JSON.stringify({ Target: WEB_INSTANCE }), sandbox.endpoint], { cols: 120, rows: 40, encoding: null, env: { ...process.env, AWS_ACCESS_KEY_ID: sandbox.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sandbox.credentials.secretAccessKey, AWS_REGION: sandbox.region } });
let counter: MarkerCounter | undefined; let text = '';
pty.onData((d: string | Buffer) => { const b = typeof d === 'string' ? Buffer.from(d) : d; if (counter) counter.push(b); else text += b.toString('latin1'); });
while (!/SessionId: [^\r\n]+\r?\n./s.test(text)) await new Promise((r) => setTimeout(r, 10));
for (const size of [1e6, 50e6, 50e6]) {
  counter = new MarkerCounter(MARKER);
  const t0 = performance.now();
  pty.write(`${floodCommand(size)}\r`);
  await counter.done;
  const ms = performance.now() - t0;
  console.log(size, (size / 1e6 / (ms / 1000)).toFixed(1), 'MB/s');
}
pty.write('exit\r'); await new Promise((r) => pty.onExit(r));
await sandbox.close();

// A SOCKS forward in the forwards view against the Local sandbox: created as "SOCKS5 proxy through
// an instance", it runs; a request through it from this process (a SOCKS5 CONNECT naming
// "localhost", resolved by the sandbox agent) reaches an HTTP server here, and the view shows that
// destination with its connections and bytes each way.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { expect, test } from '../fixtures/airlock';
import { ForwardsPage } from '../pages/ForwardsPage';

const WEB_KEY = 'sandbox|us-east-1|i-0a1b2c3d4e5f60001';
const NAME = 'e2e socks';

let server: Server;
let serverPort: number;

test.beforeAll(async () => {
  server = createServer((request, response) => {
    response.end(`through socks ${request.url ?? '/'}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverPort = (server.address() as AddressInfo).port;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** GET `path` from localhost:`port` through the SOCKS5 proxy; resolves with the whole response. */
async function getThroughSocks(proxyPort: number, port: number, path: string): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port: proxyPort });
  await once(socket, 'connect');
  const host = Buffer.from('localhost');
  socket.write(Buffer.from([5, 1, 0]));
  socket.write(
    Buffer.concat([
      Buffer.from([5, 1, 0, 3, host.length]),
      host,
      Buffer.from([port >> 8, port & 0xff]),
    ]),
  );
  let received = Buffer.alloc(0);
  let requested = false;
  return new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!requested && received.length >= 12) {
        if (received[1] !== 0 || received[3] !== 0) {
          reject(new Error(`SOCKS refused: ${received.subarray(0, 12).toString('hex')}`));
          return;
        }
        requested = true;
        received = received.subarray(12);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      }
    });
    socket.once('end', () => resolve(received.toString('utf8')));
    socket.once('error', reject);
  });
}

test('a SOCKS forward runs and shows each destination with its statistics', async ({
  app,
  inventory,
  keepScreenshot,
}) => {
  const forwards = new ForwardsPage(app);
  await inventory.waitForRows();
  await forwards.show();
  await forwards.createSocks({ name: NAME, instanceKey: WEB_KEY });

  const row = forwards.row(NAME);
  await expect(row).toHaveAttribute('data-status', 'listening');
  await expect(row).toContainText('SOCKS5 proxy');
  const proxyPort = await forwards.boundPort(NAME);

  const response = await getThroughSocks(proxyPort, serverPort, '/via-socks');
  expect(response).toContain('through socks /via-socks');

  const destinations = forwards.destinations(NAME);
  const destination = destinations.getByTestId('socks-destination');
  await expect(destination).toHaveCount(1);
  await expect(destination.getByRole('cell').nth(0)).toHaveText(`localhost:${serverPort}`);
  await expect(destination.getByRole('cell').nth(2)).toHaveText('1');
  await expect(destination.getByRole('cell').nth(4)).not.toHaveText('0 B');
  await expect(destination.getByRole('cell').nth(5)).not.toHaveText('0 B');
  await expect(row.getByTestId('forward-connections')).toContainText('1 total');
  await keepScreenshot('forwards-socks');

  await row.getByRole('button', { name: `Stop ${NAME}` }).click();
  await expect(row).toHaveAttribute('data-status', 'stopped');
  await forwards.delete(NAME);
});

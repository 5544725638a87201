import { describe, expect, it } from 'vitest';
import type { Logger } from '../base/logger';
import {
  LINUX_CA_BUNDLES,
  pemCertificates,
  systemCertificates,
  type SystemCaPorts,
} from './system-ca';

const CERT_A = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
const CERT_B = '-----BEGIN CERTIFICATE-----\r\nBBBB\r\n-----END CERTIFICATE-----';

function ports(overrides: Partial<SystemCaPorts>) {
  const logged: string[] = [];
  const logger: Logger = {
    log: (_level, message) => void logged.push(message),
    child: () => logger,
  };
  const calls: string[] = [];
  const base: SystemCaPorts = {
    platform: 'linux',
    readText: () => Promise.reject(new Error('ENOENT')),
    run: (command, args) => {
      calls.push([command, ...args].join(' '));
      return Promise.resolve('');
    },
    logger,
  };
  return { ports: { ...base, ...overrides }, logged, calls };
}

describe('pemCertificates', () => {
  it('keeps only certificate blocks, with LF line ends', () => {
    expect(pemCertificates(`junk\n${CERT_A}\n# comment\n${CERT_B}\n`)).toEqual([
      `${CERT_A}\n`,
      '-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n',
    ]);
    expect(pemCertificates('nothing here')).toEqual([]);
  });
});

describe('systemCertificates', () => {
  it('reads the first Linux bundle that exists', async () => {
    const read: string[] = [];
    const { ports: linux } = ports({
      readText: (file) => {
        read.push(file);
        return file === LINUX_CA_BUNDLES[1]
          ? Promise.resolve(CERT_A)
          : Promise.reject(new Error('ENOENT'));
      },
    });
    expect(await systemCertificates(linux)).toEqual([`${CERT_A}\n`]);
    expect(read).toEqual(LINUX_CA_BUNDLES.slice(0, 2));
  });

  it('asks the macOS keychains and the Windows certificate drive', async () => {
    const mac = ports({ platform: 'darwin', run: () => Promise.resolve(CERT_A) });
    expect(await systemCertificates(mac.ports)).toEqual([`${CERT_A}\n`]);
    const windows = ports({ platform: 'win32' });
    await systemCertificates(windows.ports);
    expect(windows.calls[0]).toMatch(/^powershell\.exe -NoProfile .*Cert:\\LocalMachine\\Root/);
  });

  it('logs once and trusts only the bundled roots when the store cannot be read', async () => {
    const broken = ports({ platform: 'darwin', run: () => Promise.reject(new Error('timed out')) });
    expect(await systemCertificates(broken.ports)).toEqual([]);
    expect(broken.logged).toEqual(['could not read the system certificate store']);
  });
});

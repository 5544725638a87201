// The operating system's trusted CA certificates, for the desktop app: behind a TLS-inspecting
// proxy the company's root is installed there, not in Node's bundled list. Linux keeps one PEM
// bundle file; macOS answers through `security`; Windows through PowerShell's certificate drive.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { toErrorMessage } from '../base/errors';
import type { Logger } from '../base/logger';

/** Where Linux distributions keep the system bundle (Debian/Ubuntu, Fedora/RHEL, SUSE, Alpine...). */
export const LINUX_CA_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
] as const;

const MAC_KEYCHAINS = [
  '/Library/Keychains/System.keychain',
  '/System/Library/Keychains/SystemRootCertificates.keychain',
];

const WINDOWS_EXPORT = [
  'Get-ChildItem -Path Cert:\\LocalMachine\\Root, Cert:\\CurrentUser\\Root | ForEach-Object {',
  "'-----BEGIN CERTIFICATE-----'; [Convert]::ToBase64String($_.RawData, 'InsertLineBreaks');",
  "'-----END CERTIFICATE-----' }",
].join(' ');

export interface SystemCaPorts {
  platform: NodeJS.Platform;
  readText(file: string): Promise<string>;
  run(command: string, args: readonly string[]): Promise<string>;
  logger: Logger;
}

/** The PEM certificate blocks in `text`, each ending with a newline. */
export function pemCertificates(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  return (blocks ?? []).map((block) => `${block.replace(/\r\n/g, '\n')}\n`);
}

async function linuxCertificates(ports: SystemCaPorts): Promise<string[]> {
  for (const file of LINUX_CA_BUNDLES) {
    try {
      return pemCertificates(await ports.readText(file));
    } catch {
      // Not this distribution's path: try the next one.
    }
  }
  return [];
}

/**
 * The system's certificates, or none (with one log line) when they cannot be read: the bundled
 * roots still work, so this never stops the app.
 */
export async function systemCertificates(ports: SystemCaPorts): Promise<string[]> {
  try {
    switch (ports.platform) {
      case 'linux':
        return await linuxCertificates(ports);
      case 'darwin':
        return pemCertificates(
          await ports.run('/usr/bin/security', ['find-certificate', '-a', '-p', ...MAC_KEYCHAINS]),
        );
      case 'win32':
        return pemCertificates(
          await ports.run('powershell.exe', [
            '-NoProfile',
            '-NonInteractive',
            '-Command',
            WINDOWS_EXPORT,
          ]),
        );
      default:
        return [];
    }
  } catch (error) {
    ports.logger.log('warn', 'could not read the system certificate store', {
      error: toErrorMessage(error),
    });
    return [];
  }
}

/** The real ports: files and child processes (with a timeout and an output cap). */
export function nodeSystemCaPorts(logger: Logger): SystemCaPorts {
  return {
    platform: process.platform,
    readText: (file) => readFile(file, 'utf8'),
    run: (command, args) =>
      new Promise((resolve, reject) => {
        execFile(
          command,
          [...args],
          { timeout: 10_000, maxBuffer: 32 * 1024 * 1024, windowsHide: true },
          (error: Error | null, stdout: string) => (error ? reject(error) : resolve(stdout)),
        );
      }),
    logger,
  };
}

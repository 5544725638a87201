// Test support: a throwaway certificate authority and one server certificate signed by it, made
// with the openssl command in a temporary directory, for HTTPS/WSS tests behind proxies.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ThrowawayPki {
  /** The CA certificate (PEM) a client must trust. */
  caCert: string;
  /** The CA certificate as a file, for AWS_CA_BUNDLE or a profile's ca_bundle. */
  caFile: string;
  /** The server's key and certificate (PEM), valid for the given names and 127.0.0.1. */
  key: string;
  cert: string;
  dispose(): void;
}

export function createThrowawayPki(dnsNames: readonly string[]): ThrowawayPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'airlock-pki-'));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '2', '-subj', '/CN=Airlock test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
  ); // prettier-ignore
  openssl(
    'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${dnsNames[0] ?? 'localhost'}`, '-keyout', file('server.key'), '-out', file('server.csr'),
  ); // prettier-ignore
  const altNames = [...dnsNames.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(file('server.ext'), `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth\n`);
  openssl(
    'x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem'),
  ); // prettier-ignore
  return {
    caCert: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// A CA bundle that trusts everything the system trusts plus localnet's root.
// Tools that take one bundle file (Python's requests, the AWS CLI, OpenSSL's
// SSL_CERT_FILE) stop trusting the system store when pointed at root.pem
// alone, so HTTPS to anything else — real AWS included — fails. This file is
// the system's bundle (or, where none is found, the Mozilla roots Node ships)
// followed by the root; it is rewritten each time so it follows the system.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rootCertificates } from 'node:tls';

/** Where Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine and macOS keep the system bundle. */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem', '/etc/ssl/cert.pem'];

export function systemBundle(candidates = SYSTEM_BUNDLES): { pem: string; source: string } {
  for (const file of candidates) {
    if (existsSync(file)) return { pem: readFileSync(file, 'utf8'), source: file };
  }
  return { pem: rootCertificates.join('\n'), source: "Node.js's built-in Mozilla roots" };
}

/** Writes bundle.pem beside root.pem (system roots + localnet's root); returns its path and where the system roots came from. */
export function writeCombinedBundle(rootFile: string, candidates?: string[]): { file: string; source: string } {
  const system = systemBundle(candidates);
  const file = join(dirname(rootFile), 'bundle.pem');
  const text = `${system.pem.trimEnd()}\n# localnet root CA\n${readFileSync(rootFile, 'utf8').trimEnd()}\n`;
  writeFileSync(`${file}.tmp`, text, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  return { file, source: system.source };
}

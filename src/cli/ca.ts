// localnet ca: where the local root certificate is and how to trust it.
// Works whether or not localnet runs (the CA lives in the data directory and
// is created here if localnet never started).
import type { Config } from '../config.ts';
import { writeCombinedBundle } from '../pki/bundle.ts';
import { loadOrCreateCa } from '../pki/ca.ts';
import { endpointOf, health } from './endpoint.ts';

export function trustInstructions(root: string, fingerprint: string, acmeDirectory?: string, bundle?: { file: string; source: string }): string {
  const b = bundle?.file ?? '<system bundle + root.pem>';
  return `localnet root certificate: ${root}
SHA-256 fingerprint:       ${fingerprint}
System roots + this root:  ${b}${bundle ? ` (from ${bundle.source})` : ''}

Certificates that localnet's ACM issues chain to this root. Trust it where you need it:

  System store (Debian/Ubuntu; curl, wget, most programs)
    sudo cp ${root} /usr/local/share/ca-certificates/localnet-root.crt
    sudo update-ca-certificates
  (Fedora/RHEL: sudo cp ${root} /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust)

  macOS (Keychain; Safari, Chrome, curl)
    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${root}

  Windows (an elevated prompt)
    certutil -addstore -f ROOT ${root}

  Chromium / Chrome / Firefox on Linux (NSS)
    certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n localnet -i ${root}
    (certutil is in libnss3-tools; Firefox profiles have their own database: -d sql:<profile dir>)

  Node.js
    export NODE_EXTRA_CA_CERTS=${root}

  curl, one call
    curl --cacert ${root} https://...

  Tools that take ONE bundle file replace the system store with it: give them
  the combined bundle, so real AWS and every other site stay trusted.
  Python (requests, pip)
    export REQUESTS_CA_BUNDLE=${b}     (pip: PIP_CERT=${b}; plain ssl: SSL_CERT_FILE=${b})

  AWS CLI / SDKs talking to a localnet HTTPS listener (and to AWS)
    export AWS_CA_BUNDLE=${b}

  ACME clients against localnet's ACME server (${acmeDirectory ?? 'https://127.0.0.1:14000/directory, LOCALNET_ACME_PORT'})
    Certbot: REQUESTS_CA_BUNDLE=${root} certbot certonly --server ${acmeDirectory ?? 'https://127.0.0.1:14000/directory'} ...
    lego:    LEGO_CA_CERTIFICATES=${root} lego --server ${acmeDirectory ?? 'https://127.0.0.1:14000/directory'} ...
    (the certificates they get chain to this root through the "localnet ACME Intermediate")

Remove it again: sudo rm /usr/local/share/ca-certificates/localnet-root.crt && sudo update-ca-certificates --fresh,
certutil -d sql:$HOME/.pki/nssdb -D -n localnet. The root stays the same until the data directory is deleted.`;
}

export async function caCommand(config: Config): Promise<number> {
  const h = await health(endpointOf(config));
  if (h?.ca?.root) {
    console.log(trustInstructions(h.ca.root as string, h.ca.rootFingerprint as string, h.acme?.directory as string | undefined, writeCombinedBundle(h.ca.root as string)));
    return 0;
  }
  const ca = await loadOrCreateCa(config.dataDir);
  console.log(trustInstructions(ca.files.root, ca.rootFingerprint, undefined, writeCombinedBundle(ca.files.root)));
  return 0;
}

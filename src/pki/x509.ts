// The one entry to @peculiar/x509: it needs a Reflect metadata polyfill loaded
// before it (its dependency injection uses tsyringe) and a WebCrypto
// provider; Node's own webcrypto serves. Import x509 from here, not from the package.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509 };

// Where localnet's own files are, whether it runs from src/ through tsx or
// from the bundle in dist/ (both sit one level below the package root).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The package root (where package.json is). */
export const PACKAGE_ROOT = join(here, '..');
/** The generated service models. */
export const MODELS_DIR = join(PACKAGE_ROOT, 'src', 'aws', 'models');

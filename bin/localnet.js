#!/usr/bin/env node
// Entry point for `npx localnet`, `npm start` and `npm run localnet`: runs the
// bundle dist/localnet.mjs (one plain JavaScript file, quick to start),
// rebuilding it first when a source is newer (scripts/build.mjs). Only when
// the bundle cannot be built does it run the TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { ensureBundle } from '../scripts/build.mjs';

let bundle;
try {
  bundle = await ensureBundle();
} catch (err) {
  process.stderr.write(`localnet: cannot build dist/localnet.mjs (${err?.message ?? err}); running the TypeScript sources through tsx instead (slower to start)\n`);
}
if (bundle) {
  // Stack traces name the bundle's lines (each module in it starts with a
  // `// src/...` comment). Loading the source map costs a start about 120 ms,
  // so it is opt-in: NODE_OPTIONS=--enable-source-maps maps them to the
  // TypeScript sources (dist/localnet.mjs.map).
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}

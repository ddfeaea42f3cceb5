// Bundles the CLI (and with it all of localnet) into dist/localnet.mjs with
// esbuild, so `npm start` starts one plain JavaScript file instead of
// transpiling every TypeScript file and resolving hundreds of package files
// at start-up. Only the native better-sqlite3 stays external.
// Run: npm run build (also runs on npm ci / npm install, via "prepare").
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/localnet.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3'],
  // Bundled CommonJS packages call require() for Node built-ins.
  banner: { js: "import { createRequire as __localnetRequire } from 'node:module'; const require = __localnetRequire(import.meta.url);" },
  sourcemap: 'linked',
  logLevel: 'warning',
});

// Bundles the CLI (and with it all of localnet) into dist/localnet.mjs with
// esbuild, so `npm start` and `npx localnet` start one plain JavaScript file
// instead of transpiling every TypeScript file and resolving hundreds of
// package files at start-up. Only the native better-sqlite3 stays external.
// Run: npm run build (also runs on npm ci / npm install, via "prepare").
//
// Imported by bin/localnet.js, which calls ensureBundle(): the bundle is
// rebuilt only when it is stale (a cheap mtime walk over INPUTS; esbuild is
// imported only when a build is needed).
import { readdirSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const OUTFILE = join(ROOT, 'dist', 'localnet.mjs');
/** What the bundle is made from: a change to any of these (a file, or any file under a folder) makes it stale. */
export const INPUTS = ['src', 'package.json', 'scripts/build.mjs'].map((p) => join(ROOT, p));

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * The first input (a file, or a file anywhere under an input folder) modified
 * after outfile, or outfile itself when it does not exist; undefined when
 * outfile is current. Inputs that do not exist are ignored.
 */
export function staleBecause(outfile, inputs) {
  const built = mtimeMs(outfile);
  if (built === undefined) return outfile;
  const walk = (path) => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined;
    }
    if (st.isDirectory()) {
      // A folder's own mtime changes when a file is added, removed or renamed in it.
      if (st.mtimeMs > built) return path;
      for (const name of readdirSync(path)) {
        const found = walk(join(path, name));
        if (found) return found;
      }
      return undefined;
    }
    return st.mtimeMs > built ? path : undefined;
  };
  for (const input of inputs) {
    const found = walk(input);
    if (found) return found;
  }
  return undefined;
}

/** Whether outfile is missing or older than any of inputs (files, or folders walked recursively). */
export function isStale(outfile, inputs) {
  return staleBecause(outfile, inputs) !== undefined;
}

/**
 * Builds the bundle. Every output is written to a temporary name and renamed
 * into place (the source map first), so a process starting meanwhile (or a
 * second build racing this one) never reads a half-written bundle.
 */
export async function bundle(outfile = OUTFILE) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    // Bundled CommonJS packages call require() for Node built-ins.
    banner: { js: "import { createRequire as __localnetRequire } from 'node:module'; const require = __localnetRequire(import.meta.url);" },
    sourcemap: 'linked',
    // Stack traces need only the mappings; without the sources the map is a fraction of the size, quicker to load.
    sourcesContent: false,
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(dirname(outfile), { recursive: true });
  const mapsFirst = [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')));
  for (const f of mapsFirst) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
}

/**
 * Rebuilds the bundle when it is stale (saying why on stderr); returns its
 * path. Throws when it cannot be built (esbuild missing, a syntax error).
 */
export async function ensureBundle(outfile = OUTFILE, inputs = INPUTS) {
  const changed = staleBecause(outfile, inputs);
  if (changed !== undefined) {
    const why = changed === outfile ? 'it does not exist yet' : `${relative(ROOT, changed)} changed`;
    process.stderr.write(`localnet: building ${relative(ROOT, outfile)} (${why})\n`);
    await bundle(outfile);
  }
  return outfile;
}

// Run as a script (npm run build, prepare): always build.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundle();

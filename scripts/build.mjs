// Bundles the CLI (and with it all of localnet) into dist/localnet.mjs with
// esbuild, so `npm start` and `npx localnet` start plain JavaScript instead of
// transpiling every TypeScript file and resolving hundreds of package files
// at start-up. Only the native better-sqlite3 stays external. Each command's
// code is a chunk beside it (dist/localnet-*.mjs, loaded when the command
// runs), so that `localnet status` does not load the whole server.
// Run: npm run build (also runs on npm ci / npm install, via "prepare").
//
// Imported by bin/localnet.js, which calls ensureBundle(): the bundle is
// rebuilt only when it is stale (a cheap mtime walk over INPUTS; esbuild is
// imported only when a build is needed).
import { readdirSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
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

/** Chunks of an earlier build are removed by a later one once they are this old (a process that read the old entry a moment ago may still load them). */
const OLD_CHUNK_MS = 60_000;

/**
 * Builds the bundle: outfile and its chunks beside it (named after it). Every
 * output is written to a temporary name and renamed into place (source maps,
 * then chunks, whose names carry a hash of their content, then outfile), so a
 * process starting meanwhile (or a second build racing this one) never reads
 * a half-written bundle or an entry whose chunks are not there yet.
 */
export async function bundle(outfile = OUTFILE) {
  const { build } = await import('esbuild');
  const outdir = dirname(outfile);
  const name = basename(outfile, '.mjs');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { [name]: 'src/cli/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: `${name}-[name]-[hash]`,
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
  mkdirSync(outdir, { recursive: true });
  const rank = (path) => (path.endsWith('.map') ? 0 : path === outfile ? 2 : 1);
  const ordered = [...result.outputFiles].sort((a, b) => rank(a.path) - rank(b.path));
  for (const f of ordered) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  const written = new Set(ordered.map((f) => f.path));
  for (const file of readdirSync(outdir)) {
    const path = join(outdir, file);
    if (!file.startsWith(`${name}-`) || written.has(path)) continue;
    if (Date.now() - (mtimeMs(path) ?? 0) > OLD_CHUNK_MS) rmSync(path, { force: true });
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

// The layering of src/, checked from the import statements themselves:
//   - no import cycle between files (type-only imports included: a cycle of
//     types is still two files that cannot be read one without the other);
//   - the data planes and the pure core (src/net, src/records, src/dns,
//     src/lb, src/pki, src/store, src/acme) never import a service folder: services
//     write records, everything else reads them through src/records;
//   - src/records imports only src/records and types from src/store.
// The scanner is a few regular expressions over the source, not a compiler:
// it sees `import ... from`, `export ... from`, `import '...'` and
// `import('...')` with a literal specifier, which is every form src/ uses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/** Folders that must not import src/services. */
const BELOW_SERVICES = ['src/net/', 'src/records/', 'src/dns/', 'src/lb/', 'src/privatelink/', 'src/public-addresses/', 'src/pki/', 'src/store/', 'src/acme/'];

/** Imports of src/services allowed in the folders above, as `from -> to`: none (they read src/records/). */
const ALLOWED_SERVICE_IMPORTS = new Set<string>([]);

interface Import {
  /** Repository-relative path of the imported file (relative specifiers only). */
  target: string;
  typeOnly: boolean;
}

const IMPORT_PATTERNS: { re: RegExp; typeOnly: (m: RegExpExecArray) => boolean }[] = [
  // import x from '...', import { a, type B } from '...', import type { C } from '...', import * as n from '...'
  { re: /^\s*import\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm, typeOnly: (m) => !!m[1] },
  // export { a } from '...', export type { B } from '...', export * from '...', export * as n from '...'
  { re: /^\s*export\s+(type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/gm, typeOnly: (m) => !!m[1] },
  // import '...' (side effects)
  { re: /^\s*import\s*()['"]([^'"]+)['"]/gm, typeOnly: () => false },
  // await import('...')
  { re: /\bimport\(\s*()['"]([^'"]+)['"]\s*\)/g, typeOnly: () => false },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function rel(path: string): string {
  return relative(ROOT, path).split('\\').join('/');
}

/** The files a source file imports by relative path (packages and node: builtins are not files of ours). */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const { re, typeOnly } of IMPORT_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const spec = m[2];
      if (!spec.startsWith('.')) continue;
      out.push({ target: rel(resolve(dirname(file), spec)), typeOnly: typeOnly(m as RegExpExecArray) });
    }
  }
  return out;
}

const graph = new Map<string, Import[]>(sourceFiles(SRC).map((f) => [rel(f), importsOf(f)]));

/** Strongly connected components of more than one file (or a file importing itself): each holds a cycle. */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const { target: w } of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)!.some((i) => i.target === v)) found.push(scc.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** One concrete cycle through the component, to name in the failure. */
function cycleIn(scc: string[]): string[] {
  const members = new Set(scc);
  const start = scc[0];
  const path = [start];
  const seen = new Set([start]);
  const walk = (v: string): boolean => {
    for (const { target: w } of graph.get(v) ?? []) {
      if (w === start) return true;
      if (!members.has(w) || seen.has(w)) continue;
      seen.add(w);
      path.push(w);
      if (walk(w)) return true;
      path.pop();
    }
    return false;
  };
  walk(start);
  return [...path, start];
}

describe('architecture: imports between src/ files', () => {
  it('the scanner sees the files and their imports', () => {
    assert.ok(graph.size > 100, `only ${graph.size} files under src/`);
    const ec2 = graph.get('src/services/ec2/index.ts');
    assert.ok(ec2 && ec2.length > 5, 'src/services/ec2/index.ts imports nothing?');
    for (const [file, imports] of graph) {
      for (const i of imports) if (i.target.endsWith('.ts')) assert.ok(graph.has(i.target), `${file} imports ${i.target}, which does not exist`);
    }
  });

  it('has no import cycle', () => {
    const found = cycles().map((scc) => `${cycleIn(scc).join('\n    -> ')}${scc.length > 2 ? `\n  (component: ${scc.join(', ')})` : ''}`);
    assert.deepEqual(found, [], `import cycles:\n  ${found.join('\n  ')}`);
  });

  it('keeps src/services out of the data planes and the pure core', () => {
    const seen = new Set<string>();
    const offending: string[] = [];
    for (const [file, imports] of graph) {
      if (!BELOW_SERVICES.some((d) => file.startsWith(d))) continue;
      for (const i of imports) {
        if (!i.target.startsWith('src/services/')) continue;
        const edge = `${file} -> ${i.target}`;
        seen.add(edge);
        if (!ALLOWED_SERVICE_IMPORTS.has(edge)) offending.push(edge);
      }
    }
    assert.deepEqual(offending, [], `imports of src/services from below it (read the records through src/records instead):\n  ${offending.join('\n  ')}`);
    const stale = [...ALLOWED_SERVICE_IMPORTS].filter((e) => !seen.has(e));
    assert.deepEqual(stale, [], `allowed imports that no longer exist (remove them from ALLOWED_SERVICE_IMPORTS):\n  ${stale.join('\n  ')}`);
  });

  it('src/records imports only src/records and types from src/store', () => {
    const offending: string[] = [];
    for (const [file, imports] of graph) {
      if (!file.startsWith('src/records/')) continue;
      const text = readFileSync(join(ROOT, file), 'utf8');
      // Every import, relative or not: a package or a builtin is a dependency too.
      const specifiers = IMPORT_PATTERNS.flatMap(({ re }) => [...text.matchAll(re)].map((m) => m[2]));
      for (const s of specifiers) if (!s.startsWith('.')) offending.push(`${file} -> ${s}`);
      for (const i of imports) {
        if (i.target.startsWith('src/records/')) continue;
        if (i.target.startsWith('src/store/') && i.typeOnly) continue;
        offending.push(`${file} -> ${i.target}${i.typeOnly ? '' : ' (not type-only)'}`);
      }
    }
    assert.deepEqual(offending, [], `src/records reaches outside itself:\n  ${offending.join('\n  ')}`);
  });
});

// Types of scripts/build.mjs (plain JavaScript, so that bin/localnet.js can
// check and rebuild the bundle before anything TypeScript is loaded).

/** The repository root. */
export const ROOT: string;
/** The bundle: dist/localnet.mjs. */
export const OUTFILE: string;
/** What the bundle is made from: src/, package.json, scripts/build.mjs (absolute paths). */
export const INPUTS: string[];
/** The first input (or file under an input folder) newer than outfile, outfile itself when missing; undefined when current. */
export function staleBecause(outfile: string, inputs: string[]): string | undefined;
/** Whether outfile is missing or older than any of inputs (files, or folders walked recursively). */
export function isStale(outfile: string, inputs: string[]): boolean;
/** Builds the bundle with esbuild (outputs renamed into place). */
export function bundle(outfile?: string): Promise<void>;
/** Rebuilds the bundle when stale (saying why on stderr); returns its path. */
export function ensureBundle(outfile?: string, inputs?: string[]): Promise<string>;

// Step-by-step interop suites: each step records the ids it creates, and a
// step whose prerequisite failed is skipped saying which one, so a failure
// report points at the first operation that broke. `until` re-runs an AWS
// CLI call until its answer satisfies a predicate, a bounded number of times.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import type { AwsCli } from './aws-cli.ts';

export interface Steps {
  /** Ids created by the steps, filled in as they succeed. */
  s: Record<string, string | undefined>;
  /** Skips the step when an earlier step did not produce what it needs. */
  need(t: TestContext, ...names: string[]): boolean;
}

export function steps(): Steps {
  const s: Record<string, string | undefined> = {};
  return {
    s,
    need(t, ...names) {
      const missing = names.filter((n) => s[n] === undefined);
      if (missing.length === 0) return true;
      t.skip(`needs ${missing.join(', ')} from an earlier step that failed`);
      return false;
    },
  };
}

/** Re-runs a CLI call until pred holds on its output; `tries` attempts `pauseMs` apart. */
export async function until(aws: AwsCli, args: string[], pred: (out: any) => boolean, what: string, tries = 25, pauseMs = 200): Promise<any> {
  let out: any;
  for (let i = 0; i < tries; i++) {
    out = await aws.ok(args);
    if (pred(out)) return out;
    await sleep(pauseMs);
  }
  assert.fail(`${what}: still ${JSON.stringify(out)} after ${tries} tries`);
}

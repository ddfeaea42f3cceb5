// Drives a fixed number of requests through a caller-supplied function with
// a fixed number in flight, and reports throughput and latency percentiles.
// Bounded: exactly `requests` calls, no time-based loops.

export interface LoadResult {
  requests: number;
  concurrency: number;
  /** Requests per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/** Runs call(0..requests-1) with `concurrency` in flight; latencies in ms. */
export async function load(requests: number, concurrency: number, call: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const t0 = performance.now();
      try {
        await call(i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, worker));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests, concurrency, rps: requests / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors, firstError };
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

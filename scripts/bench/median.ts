// The one timing helper of the benchmarks.

/** Median wall time in ms of `iterations` runs of `task`, after warm-up runs (module loading, JIT). */
export async function median(iterations: number, task: () => Promise<unknown>, warmUps = 3): Promise<number> {
  for (let warmUp = 0; warmUp < warmUps; warmUp++) await task();
  const times: number[] = [];
  for (let run = 0; run < iterations; run++) {
    const started = performance.now();
    await task();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  return times.length % 2 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
}

/**
 * CPU time of this process for one call, in milliseconds. Tests of hostile input compare the cost of n
 * and 4n with it — CPU, not wall time, so the ratio holds on a loaded machine: about 4× when linear,
 * 16× when quadratic.
 */
export function cpuMs(fn: () => unknown): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/** The same for an async call (the time its awaits spend elsewhere is not counted). */
export async function cpuMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/**
 * CPU per call of `fn(input)`, the mean over as many calls as fill at least `minMs`: one call of a millisecond
 * is mostly timer grain and scheduler noise on a loaded machine (4x of it once read as 10x).
 */
function meanCpuMs<T>(fn: (input: T) => unknown, input: T, minMs = 20): number {
  const t0 = process.cpuUsage();
  let calls = 0;
  let spent = 0;
  do {
    fn(input);
    calls++;
    const d = process.cpuUsage(t0);
    spent = (d.user + d.system) / 1000;
  } while (spent < minMs);
  return spent / calls;
}

/**
 * CPU of `fn(small)` and `fn(large)`, each the cheapest of three readings taken alternately after one warm-up
 * call on each; a reading is a mean over at least 20 ms of calls. The warm-up on `large` matters: on a fast
 * machine a first large call still pays for compiling its code, and one slow call made a linear path read as
 * 9.6x (and another 6.4x) in CI.
 */
export function cheapestCosts<T>(fn: (input: T) => unknown, small: T, large: T): { short: number; long: number } {
  fn(small);
  fn(large);
  let short = Number.POSITIVE_INFINITY;
  let long = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    short = Math.min(short, meanCpuMs(fn, small));
    long = Math.min(long, meanCpuMs(fn, large));
  }
  return { short, long };
}

/**
 * CPU of `fn(large)` over `fn(small)` by cheapestCosts (the small side at least 1 ms, so timer grain cannot
 * inflate the ratio). Linear code gives about the size ratio; tests bound it well above that, for a loaded
 * machine. A ratio above `secondLookAbove` is measured once more and the lower reading kept: a slow spell
 * on a busy machine made a linear path read 9.5x once (alone it reads 3.5–4.1x), while a quadratic path
 * reads high on both looks.
 */
export function growthRatio<T>(fn: (input: T) => unknown, small: T, large: T, secondLookAbove = 5): number {
  const ratio = () => {
    const { short, long } = cheapestCosts(fn, small, large);
    return long / Math.max(short, 1);
  };
  const first = ratio();
  return first > secondLookAbove ? Math.min(first, ratio()) : first;
}

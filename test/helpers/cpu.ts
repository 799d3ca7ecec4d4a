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
 * CPU of `fn(large)` over `fn(small)`, each the cheaper of two calls after one warm-up call on `small`
 * (the small side at least 1 ms, so timer grain cannot inflate the ratio). Linear code gives about the
 * size ratio; tests bound it well above that, for a loaded machine.
 */
export function growthRatio<T>(fn: (input: T) => unknown, small: T, large: T): number {
  fn(small);
  const a = Math.max(
    Math.min(
      cpuMs(() => fn(small)),
      cpuMs(() => fn(small)),
    ),
    1,
  );
  const b = Math.min(
    cpuMs(() => fn(large)),
    cpuMs(() => fn(large)),
  );
  return b / a;
}

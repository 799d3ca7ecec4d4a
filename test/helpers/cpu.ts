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

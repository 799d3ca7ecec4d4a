// The few fields of autocannon's result the gateway benchmark reads (the package ships no types).
declare module "autocannon" {
  interface Stats {
    average: number;
    p50: number;
    p99: number;
    /** Present on `requests`: how many were answered. */
    total?: number;
  }
  interface Result {
    requests: Stats;
    latency: Stats;
    errors: number;
    non2xx: number;
  }
  interface Options {
    url: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
  }

  export type { Result };
  export default function autocannon(options: Options): Promise<Result>;
}

/**
 * An open-loop HTTP/1.1 load generator for latency at a fixed offered load.
 *
 * Closed-loop tools (autocannon with N connections) send the next request only when one comes back:
 * a slower server receives fewer requests, and by Little's law its latency at saturation is N/throughput
 * whatever each request costs. Here request i is *scheduled* at start + i/rate, on an even clock, and
 * its latency is counted from that scheduled time (coordinated omission corrected, as wrk2 does): a
 * server that stalls is charged for every request that should have been sent meanwhile.
 *
 * Cheap on purpose (the generator shares 2 cores with the server): raw keep-alive sockets, one request
 * in flight per socket, the request bytes encoded once, responses parsed only as far as the status
 * line and Content-Length. Requests due while every socket is busy wait in a FIFO (their clock runs).
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";

export interface OpenLoopOptions {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Requests per second, on an even schedule. */
  rate: number;
  seconds: number;
  /** Keep-alive connections (at most one request in flight on each). */
  connections?: number;
  /** Requests still unanswered this long after the schedule ended count as timed out. */
  drainMs?: number;
}

export interface OpenLoopResult {
  rate: number;
  /** Requests scheduled (rate × seconds). */
  scheduled: number;
  completed: number;
  /** Answers with a status other than 2xx, socket errors, and requests unanswered at the end. */
  errors: number;
  /** Latency from the scheduled send time, milliseconds, sorted ascending. */
  latencies: Float64Array;
  /**
   * How late the generator's own clock noticed each request was due (milliseconds, sorted): timer and
   * event-loop delay in the generator, not waiting for a free connection (that is in `latencies`).
   */
  sendLag: Float64Array;
  /** Wall seconds from the first scheduled send to the last answer. */
  wallSeconds: number;
  /** The generator's own CPU seconds (user + system) over the run. */
  cpuSeconds: number;
  /** Most requests waiting for a free connection at once. */
  maxQueued: number;
  /** Epoch milliseconds of the first scheduled send: request i was due at startEpochMs + i × 1000 / rate. */
  startEpochMs: number;
  /** Latency of each request in schedule order (milliseconds; Infinity when unanswered), for timelines. */
  inOrder: Float64Array;
}

/** The value at quantile q (0..1) of a sorted array (nearest rank). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Conn {
  socket: Socket;
  busy: boolean;
  /** Scheduled and actual send times (ns) of the request in flight. */
  due: bigint;
  buf: Buffer;
  closed: boolean;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(o.url);
  const body = Buffer.from(o.body ?? "");
  const headers = { host: url.host, connection: "keep-alive", ...(o.body !== undefined ? { "content-length": String(body.length) } : {}), ...o.headers };
  const request = Buffer.concat([
    Buffer.from(
      `${o.method ?? "GET"} ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("")}\r\n`,
    ),
    body,
  ]);
  const scheduled = Math.round(o.rate * o.seconds);
  const intervalNs = 1e9 / o.rate;
  const latencies = new Float64Array(scheduled);
  const sendLag = new Float64Array(scheduled);
  const got = new Uint8Array(scheduled);
  let completed = 0;
  let errors = 0;
  let issued = 0;
  let answered = 0;
  let maxQueued = 0;
  // Indexes of due requests waiting for a free connection, FIFO (a ring over [head, tail)).
  const queue = new Int32Array(scheduled);
  let head = 0;
  let tail = 0;
  let start = 0n;
  let finished: () => void = () => {};
  const done = new Promise<void>((r) => {
    finished = r;
  });
  const dueOf = (i: number) => start + BigInt(Math.round(i * intervalNs));

  const conns: Conn[] = [];
  const free: Conn[] = [];
  const inflight = new Map<Conn, number>();

  const send = (c: Conn, i: number) => {
    c.busy = true;
    c.due = dueOf(i);
    inflight.set(c, i);
    c.socket.write(request);
  };
  const finish = (c: Conn, ok: boolean) => {
    const i = inflight.get(c)!;
    inflight.delete(c);
    latencies[i] = Number(process.hrtime.bigint() - c.due) / 1e6;
    got[i] = 1;
    answered++;
    if (ok) completed++;
    else errors++;
    c.busy = false;
    if (c.closed) {
      // The server closed it: the waiting requests go to the other connections.
    } else if (head < tail) send(c, queue[head++]!);
    else free.push(c);
    if (answered === scheduled) finished();
  };
  /** Consumes whole responses from the connection's buffer (status line + headers + Content-Length body). */
  const parse = (c: Conn) => {
    for (;;) {
      const end = c.buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = c.buf.toString("latin1", 0, end);
      // Content-Length framing only: a chunked answer would be misread, so it stops the run.
      if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) throw new Error(`${o.url}: chunked responses are not supported by this generator`);
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const length = m ? Number(m[1]) : 0;
      if (c.buf.length < end + 4 + length) return;
      const status = Number(head.slice(9, 12));
      c.buf = c.buf.subarray(end + 4 + length);
      if (c.busy) finish(c, status >= 200 && status < 300);
    }
  };

  const n = o.connections ?? 64;
  await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
          const c: Conn = { socket, busy: false, due: 0n, buf: Buffer.alloc(0), closed: false };
          socket.once("connect", () => resolve());
          socket.once("error", reject);
          socket.on("data", (d: Buffer) => {
            c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
            parse(c);
          });
          socket.on("close", () => {
            // A connection the server closed: its request in flight failed; it takes no more.
            c.closed = true;
            const k = free.indexOf(c);
            if (k >= 0) free.splice(k, 1);
            if (c.busy) finish(c, false);
          });
          conns.push(c);
          free.push(c);
        }),
    ),
  );

  let timer: NodeJS.Timeout | undefined;
  /** Sends (or queues) every request whose scheduled time has come, then sleeps until the next one is due. */
  const pump = () => {
    const now = process.hrtime.bigint();
    const due = Math.min(scheduled, Math.floor(Number(now - start) / intervalNs) + 1);
    while (issued < due) {
      const i = issued++;
      sendLag[i] = Number(now - dueOf(i)) / 1e6;
      const c = free.pop();
      if (c) send(c, i);
      else {
        queue[tail++] = i;
        maxQueued = Math.max(maxQueued, tail - head);
      }
    }
    if (issued < scheduled && !timer) {
      // Node's timers have 1 ms granularity: at high rates the socket reads below wake the loop more
      // often than that, so sends stay close to their schedule; sendLag shows how close.
      const wait = Math.max(0, Number(dueOf(issued) - process.hrtime.bigint()) / 1e6);
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, wait);
    }
  };
  const cpu0 = process.cpuUsage();
  start = process.hrtime.bigint();
  const startEpochMs = performance.timeOrigin + performance.now();
  for (const c of conns) c.socket.on("data", pump);
  pump();
  const stop = setTimeout(
    () => {
      // Unanswered after the drain time: count as errors.
      errors += scheduled - answered;
      for (let i = 0; i < scheduled; i++) if (!got[i]) latencies[i] = Number.POSITIVE_INFINITY;
      finished();
    },
    o.seconds * 1000 + (o.drainMs ?? 5000),
  );
  await done;
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearTimeout(timer);
  clearTimeout(stop);
  const cpu = process.cpuUsage(cpu0);
  for (const c of conns) c.socket.destroy();
  const inOrder = latencies.slice();
  return {
    startEpochMs,
    inOrder,
    rate: o.rate,
    scheduled,
    completed,
    errors,
    latencies: latencies.sort(),
    sendLag: sendLag.sort(),
    wallSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxQueued,
  };
}

/**
 * Runs one autocannon load in a child process (`fork`), so that the load generator and the server
 * under test do not share a JavaScript thread: the parent sends the options, the child answers with
 * autocannon's result (or the error) and waits for the next.
 */
import autocannon from 'autocannon';

export type LoadRequest = {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
};

export type LoadResult = {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency in ms (autocannon's HDR histogram). */
  p50: number;
  p99: number;
  mean: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytes: number;
};

function run(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        connections: request.connections,
        duration: request.durationSeconds,
        pipelining: 1,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = result.duration;
        resolve({
          requests: result.requests.total,
          seconds,
          rps: result.requests.total / seconds,
          p50: result.latency.p50,
          p99: result.latency.p99,
          mean: result.latency.mean,
          max: result.latency.max,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          bytes: result.throughput.total,
        });
      },
    );
  });
}

if (process.send) {
  process.on('message', (request: LoadRequest) => {
    run(request).then(
      (result) => process.send?.({ ok: true, result }),
      (error: unknown) => process.send?.({ ok: false, message: String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

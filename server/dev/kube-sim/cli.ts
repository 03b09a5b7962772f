import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { type ApiAccess, startKubeSim } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '6443' },
    host: { type: 'string', default: '127.0.0.1' },
    kubeconfig: { type: 'string', default: '.data/kube-sim/kubeconfig' },
    persist: { type: 'string' },
    'pod-delay-ms': { type: 'string', default: '200' },
    verbose: { type: 'boolean', default: false },
    'access-log': { type: 'string' },
    // Run Job pods' containers as processes on this host (their mount paths are host paths).
    'run-jobs': { type: 'boolean', default: false },
    // PATH those containers' commands are found in (default: this process's PATH).
    'job-path': { type: 'string' },
  },
});

function intOption(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const logger = pino({ level: values.verbose ? 'debug' : 'info' });
// One JSON line per resource request (user = bearer token, verb, group, resource, …): the RBAC
// rules a client needs, found by running it against the simulator.
const accessLog = values['access-log']
  ? createWriteStream(resolve(values['access-log']), { flags: 'a' })
  : undefined;
const sim = await startKubeSim({
  port: intOption('port', values.port),
  host: values.host,
  podStartDelayMs: intOption('pod-delay-ms', values['pod-delay-ms']),
  persistFile: values.persist ? resolve(values.persist) : undefined,
  runJobs: values['run-jobs'] ? { path: values['job-path'] } : false,
  logger,
  ...(accessLog ? { onAccess: (access: ApiAccess) => accessLog.write(`${JSON.stringify(access)}\n`) } : {}),
});
const kubeconfig = resolve(values.kubeconfig);
await sim.writeKubeconfig(kubeconfig);
console.log(`kube-sim listening on ${sim.url}`);
console.log(`kubeconfig: ${kubeconfig}  (export KUBECONFIG=${kubeconfig})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    sim.stop().then(
      () => (accessLog ? accessLog.end(() => process.exit(0)) : process.exit(0)),
      (err: unknown) => {
        logger.error({ err }, 'kube-sim did not stop cleanly');
        process.exit(1);
      },
    );
  });
}

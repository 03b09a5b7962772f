import { CoordinationV1Api, type KubeConfig, type V1Lease, V1MicroTime } from '@kubernetes/client-node';
import type { Logger } from '../log.ts';
import { isStatus } from './client.ts';
import { LEASE_NAME, managedLabels } from './labels.ts';

export type LeaderElectorOptions = {
  kubeConfig: KubeConfig;
  namespace: string;
  identity: string;
  leaseName?: string;
  /** How long a lease is valid without renewal; others take over after it lapses. */
  leaseDurationSeconds?: number;
  /** How often the holder renews and candidates retry. */
  retryPeriodMs?: number;
  onStartedLeading: () => void | Promise<void>;
  onStoppedLeading: () => void | Promise<void>;
  logger: Logger;
  now?: () => number;
};

export type LeaderElector = {
  start(): void;
  /** Stops campaigning; a leader steps down and releases the lease so another replica takes over at once. */
  stop(): Promise<void>;
  isLeader(): boolean;
  /** The identity the lease names now, as last seen. */
  holder(): string | undefined;
};

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: the holder renews
 * every retry period; a candidate takes the lease when it is free or its renewTime is older than
 * leaseDurationSeconds. Updates use the lease's resourceVersion, so two candidates racing for a
 * lapsed lease cannot both win. A leader that cannot prove a renewal within the renew deadline
 * (two thirds of the lease) stops leading on its own, before anyone else may take over: every
 * Lease call has a timeout, and a watchdog steps down even while a call hangs (an API server or
 * network that stalls rather than refuses).
 */
export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const api = options.kubeConfig.makeApiClient(CoordinationV1Api);
  const { namespace, identity, logger } = options;
  const name = options.leaseName ?? LEASE_NAME;
  const duration = options.leaseDurationSeconds ?? 15;
  const period = options.retryPeriodMs ?? 2000;
  const now = options.now ?? Date.now;
  const renewDeadlineMs = (duration * 1000 * 2) / 3;
  // One call may take a slice of the deadline, so a hung one leaves time for the next try.
  const callTimeoutMs = Math.max(500, Math.min(5000, renewDeadlineMs / 3));
  let watchdog: NodeJS.Timeout | undefined;
  let leading = false;
  let lastRenew = 0;
  let holder: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> = Promise.resolve();

  const spec = (transitions: number, acquired?: Date) => ({
    holderIdentity: identity,
    leaseDurationSeconds: duration,
    acquireTime: new V1MicroTime(acquired?.getTime() ?? now()),
    renewTime: new V1MicroTime(now()),
    leaseTransitions: transitions,
  });

  async function setLeading(value: boolean) {
    if (leading === value) return;
    leading = value;
    logger.info({ identity, lease: name }, value ? 'became leader' : 'stopped leading');
    try {
      await (value ? options.onStartedLeading() : options.onStoppedLeading());
    } catch (error) {
      logger.error({ err: error }, 'leader callback failed');
    }
  }

  /** A Lease call that gives up after {@link callTimeoutMs}: a stalled API server must not hold us. */
  function bounded<T>(call: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${callTimeoutMs} ms`)), callTimeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  async function tryAcquireOrRenew(): Promise<boolean> {
    let lease: V1Lease;
    try {
      lease = await bounded(api.readNamespacedLease({ name, namespace }), 'reading the lease');
    } catch (error) {
      if (!isStatus(error, 404)) throw error;
      try {
        await bounded(
          api.createNamespacedLease({
            namespace,
            body: { metadata: { name, namespace, labels: managedLabels() }, spec: spec(0) },
          }),
          'creating the lease',
        );
        holder = identity;
        return true;
      } catch (createError) {
        if (isStatus(createError, 409)) return false;
        throw createError;
      }
    }
    const current = lease.spec ?? {};
    holder = current.holderIdentity ?? undefined;
    const renewedAt = current.renewTime ? new Date(current.renewTime).getTime() : 0;
    const lapsed = renewedAt + (current.leaseDurationSeconds ?? duration) * 1000 < now();
    const mine = current.holderIdentity === identity;
    if (!mine && current.holderIdentity && !lapsed) return false;
    const transitions = (current.leaseTransitions ?? 0) + (mine ? 0 : 1);
    const acquired = mine && current.acquireTime ? new Date(current.acquireTime) : undefined;
    try {
      await bounded(
        api.replaceNamespacedLease({
          name,
          namespace,
          body: { ...lease, spec: spec(transitions, acquired) },
        }),
        'renewing the lease',
      );
      holder = identity;
      return true;
    } catch (error) {
      // Someone else renewed or took it between our read and write.
      if (isStatus(error, 409)) return false;
      throw error;
    }
  }

  async function tick() {
    try {
      const ok = await tryAcquireOrRenew();
      if (ok) lastRenew = now();
      if (ok) await setLeading(true);
      else if (leading) await setLeading(false);
    } catch (error) {
      logger.warn({ err: error, lease: name }, 'lease renewal failed');
      await checkDeadline();
    }
  }

  /** Steps down once the last proven renewal is older than the renew deadline. */
  async function checkDeadline() {
    if (leading && now() - lastRenew > renewDeadlineMs) {
      logger.warn(
        { identity, lease: name, sinceRenewMs: now() - lastRenew },
        'could not renew the lease within the renew deadline: stepping down before it can lapse',
      );
      await setLeading(false);
    }
  }

  function schedule() {
    if (!running) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(schedule);
    }, period);
  }

  return {
    start() {
      if (running) return;
      running = true;
      inFlight = tick().finally(schedule);
      // Independent of the renewal loop, which a hung call could hold up.
      watchdog = setInterval(() => void checkDeadline(), Math.max(50, Math.min(period, 1000)));
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      clearInterval(watchdog);
      await inFlight;
      if (!leading) return;
      await setLeading(false);
      try {
        const lease = await bounded(api.readNamespacedLease({ name, namespace }), 'reading the lease');
        if (lease.spec?.holderIdentity === identity) {
          // Release: an expired renewTime lets the next candidate take over on its next try.
          await bounded(
            api.replaceNamespacedLease({
              name,
              namespace,
              body: {
                ...lease,
                spec: { ...lease.spec, holderIdentity: undefined, renewTime: new V1MicroTime(0) },
              },
            }),
            'releasing the lease',
          );
        }
      } catch (error) {
        logger.warn({ err: error }, 'could not release the lease; it will lapse');
      }
    },
    isLeader: () => leading,
    holder: () => holder,
  };
}

import type { V1Pod } from '@kubernetes/client-node';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { applyChange, type Change, type FeedState } from '../../../client/src/infrastructure/feed.ts';
import { followInfrastructure } from '../../../client/src/infrastructure/follow.ts';
import { eventually } from '../../support/kube.ts';
import { useTestServer } from '../../support/server.ts';

/**
 * The Infrastructure page's feed (followInfrastructure + applyChange) against a real control plane:
 * when its socket drops and comes back, it subscribes again with the last cursor it received and
 * gets only what changed while it was away, never a second snapshot; the state it builds is the
 * cluster's.
 */
describe('the Infrastructure page feed across a dropped socket', () => {
  const server = useTestServer({ KUBE_SIM_POD_DELAY_MS: '20' });
  let client: Client | undefined;

  afterAll(async () => {
    await client?.dispose();
  });

  const agentPod = (name: string): V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: server.services.cluster.namespace,
      labels: { 'app.kubernetes.io/name': 'justiam-agent', 'justiam.io/pool': 'resume' },
    },
    spec: { containers: [{ name: 'agent', image: 'ghcr.io/justiam/agent:2.0.0' }] },
  });

  it('resumes from its cursor with exactly the deltas it missed', async () => {
    const sockets: WebSocket[] = [];
    const sent: { type: string; payload?: { variables?: { after?: string | null } } }[] = [];
    // The browser's WebSocket, as the page's client sees it: every socket and every message sent kept.
    class Recording extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
      override send(data: unknown, ...rest: unknown[]): void {
        sent.push(JSON.parse(String(data)));
        (super.send as (...a: unknown[]) => void)(data, ...rest);
      }
    }
    let reopen = () => {};
    const closed = new Promise<void>((resolve) => {
      reopen = resolve;
    });
    client = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: Recording,
      connectionParams: server.connectionParams,
      lazy: true,
      retryAttempts: 1,
      // The reconnection waits until the test has changed the cluster behind the client's back.
      retryWait: () => closed,
    });

    let state: FeedState | null = null;
    const changes: Change[] = [];
    const errors: string[] = [];
    followInfrastructure(
      client,
      (change) => {
        changes.push(change);
        state = applyChange(state, change, new Date().toISOString());
      },
      (message) => errors.push(message),
    );
    const current = () => state as FeedState | null;
    await eventually(() => current() !== null, 10_000, 'the snapshot');
    expect(changes.map((c) => c.kind)).toEqual(['SNAPSHOT']);

    await server.services.cluster.ensure(agentPod('agent-resume-0'));
    await eventually(
      () => current()?.components.AGENT.pods.some((p) => p.name === 'agent-resume-0' && p.ready),
      10_000,
      'the first agent ready, live',
    );
    const cursor = current()!.cursor;

    // The socket drops (as a network change or an API restart would); meanwhile another agent joins.
    sockets[0]!.terminate();
    await eventually(() => sockets[0]!.readyState === WebSocket.CLOSED, 5000, 'the socket closed');
    const before = changes.length;
    await server.services.cluster.ensure(agentPod('agent-resume-1'));
    await eventually(
      async () =>
        (await server.services.cluster.list<V1Pod>('Pod', 'v1', 'app.kubernetes.io/name=justiam-agent')).some(
          (p) =>
            p.metadata?.name === 'agent-resume-1' &&
            p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ),
      10_000,
      'the second agent ready in the cluster',
    );
    reopen();

    await eventually(
      () => current()?.components.AGENT.pods.some((p) => p.name === 'agent-resume-1' && p.ready),
      10_000,
      'the second agent, after the reconnection',
    );
    expect(sockets.length).toBe(2);
    const subscribes = sent.filter((m) => m.type === 'subscribe');
    expect(subscribes.map((m) => m.payload?.variables?.after ?? null)).toEqual([null, cursor]);
    // Only deltas since the cursor: no second snapshot.
    const missed = changes.slice(before);
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.every((c) => c.kind !== 'SNAPSHOT')).toBe(true);
    expect(missed.flatMap((c) => c.pods.map((p) => p.name))).toContain('agent-resume-1');
    expect(
      current()!
        .components.AGENT.pods.map((p) => p.name)
        .sort(),
    ).toEqual(['agent-resume-0', 'agent-resume-1']);
    expect(current()!.history['agent-resume-1']?.[0]?.kind).toBe('added');
    expect(errors).toEqual([]);
  });
});

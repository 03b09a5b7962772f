import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from '../../cluster/client.ts';
import { APP_NAME } from '../../cluster/labels.ts';
import type { WorkloadInformers } from '../../cluster/workloads.ts';
import { tagOf } from '../infrastructure/versions.ts';

/** An agent pod as pools show it. */
export type AgentPod = {
  name: string;
  phase: string;
  ready: boolean;
  node: string | null;
  /** The image tag, the agent's version. */
  version: string | null;
  startedAt: Date | null;
};

/** What finds agent pods: the shared pods informer on the leader, a list elsewhere. */
export type AgentSources = { workloads: WorkloadInformers; cluster: ClusterClient };

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function toAgent(pod: V1Pod): AgentPod {
  const tag = tagOf(pod.spec?.containers?.[0]?.image);
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.status?.phase ?? 'Unknown',
    ready: isReady(pod),
    node: pod.spec?.nodeName ?? null,
    version: tag,
    startedAt: pod.status?.startTime ? new Date(pod.status.startTime) : null,
  };
}

/**
 * Agent pods whose labels include `labels`, by name: from the shared pods informer when this
 * replica runs it (the leader), otherwise one LIST of the same selection.
 */
export async function agentPods(sources: AgentSources, labels: Record<string, string>): Promise<AgentPod[]> {
  const wanted = { [APP_NAME]: 'justiam-agent', ...labels };
  const matches = (pod: V1Pod) => Object.entries(wanted).every(([k, v]) => pod.metadata?.labels?.[k] === v);
  const informer = sources.workloads.pods;
  const pods =
    informer.status().state === 'watching'
      ? informer.list().filter(matches)
      : await sources.cluster.list<V1Pod>(
          'Pod',
          'v1',
          Object.entries(wanted)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
        );
  return pods.map(toAgent).sort((a, b) => a.name.localeCompare(b.name));
}

import { z } from 'zod';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/**
 * REST routes of worker version upgrades (spec: "Worker version upgrades"). Components are written
 * as the spec writes them (`login-worker`, `agent`); `login_worker`, as answers spell it, is taken too.
 */

const UPGRADE = `id component version previousVersion rollbackOf state error requestedBy createdAt updatedAt finishedAt
  deployments { name tenant pool fromVersion toVersion replicas updatedReplicas readyReplicas totalReplicas done gone }`;

const component = z
  .enum(['login-worker', 'login_worker', 'agent'], { message: 'must be login-worker or agent' })
  .transform((c) => (c === 'agent' ? 'AGENT' : 'LOGIN_WORKER'));

export const infrastructureRoutes = [
  route({
    method: 'POST',
    path: '/infrastructure/upgrades',
    summary:
      'Upgrade a worker component: {"component": "login-worker" | "agent", "version": "1.4.2"}; 202 with the upgrade, its rollouts followed live (409 while one of the component runs)',
    tag: 'infrastructure',
    body: z
      .object({ component, version: z.string({ message: 'is required and must be a string' }) })
      .strict(),
    document: mutation(
      'Rest_UpgradeWorkers',
      'upgradeWorkers',
      UPGRADE,
      '$component: WorkerComponent!, $version: String!',
      'component: $component, version: $version',
    ),
    field: 'upgradeWorkers',
    variables: ({ body }) => ({ component: body.component, version: body.version }),
    status: 202,
  }),
  route({
    method: 'GET',
    path: '/infrastructure/upgrades',
    summary: 'Worker upgrades, newest first (?component=login-worker|agent, first, after)',
    tag: 'infrastructure',
    query: z
      .object({
        component: component.optional(),
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
      })
      .strict(),
    document: `query Rest_WorkerUpgrades($component: WorkerComponent, $first: Int, $after: String) {
      workerUpgrades(component: $component, first: $first, after: $after) {
        edges { node { ${UPGRADE} } } pageInfo { hasNextPage endCursor }
      }
    }`,
    field: 'workerUpgrades',
    variables: ({ query }) => ({ component: query.component, first: query.first, after: query.after }),
    respond: (value) => {
      const connection = value as { edges: { node: unknown }[]; pageInfo: unknown };
      return { upgrades: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
    },
  }),
  route({
    method: 'GET',
    path: '/infrastructure/upgrades/:id',
    summary: 'One worker upgrade with the rollout of each of its Deployments',
    tag: 'infrastructure',
    document: `query Rest_WorkerUpgrade($id: ID!) { workerUpgrade(id: $id) { ${UPGRADE} } }`,
    field: 'workerUpgrade',
    variables: ({ params }) => ({ id: params.id }),
  }),
  route({
    method: 'POST',
    path: '/infrastructure/upgrades/:id/rollback',
    summary:
      'Roll an upgrade back: its Deployments return to their previous images, as a new upgrade; 202 with it (409 unless it is the component’s latest)',
    tag: 'infrastructure',
    document: mutation(
      'Rest_RollbackWorkerUpgrade',
      'rollbackWorkerUpgrade',
      UPGRADE,
      '$id: ID!',
      'id: $id',
      false,
    ),
    field: 'rollbackWorkerUpgrade',
    variables: ({ params }) => ({ id: params.id }),
    status: 202,
  }),
];

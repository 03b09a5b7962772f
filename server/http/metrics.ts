import { type GraphQLSchema, getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SignInState } from './oidc-client.ts';

export type Metrics = ReturnType<typeof createMetrics>;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One registry per app instance, so two servers in one test process keep separate figures. */
type Known = {
  documents: Set<string>;
  rootFields: Record<'query' | 'mutation' | 'subscription', Set<string>>;
};

/**
 * `documents` are the operation names of the documents the server sends itself (REST routes);
 * with the schema's root fields they are the only operation labels there can be.
 */
export function createMetrics(sources: {
  signIn: () => SignInState;
  schema: GraphQLSchema;
  documents: Iterable<string>;
}) {
  const fieldsOf = (type: ReturnType<GraphQLSchema['getQueryType']>) =>
    new Set(Object.keys(type?.getFields() ?? {}));
  const known: Known = {
    documents: new Set(sources.documents),
    rootFields: {
      query: fieldsOf(sources.schema.getQueryType()),
      mutation: fieldsOf(sources.schema.getMutationType()),
      subscription: fieldsOf(sources.schema.getSubscriptionType()),
    },
  };
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'justiam_cp_' });
  new Gauge({
    name: 'justiam_cp_sign_in_available',
    help: 'Whether operators can sign in: 1 when the OIDC issuer is discovered, 0 while it is pending or unreachable.',
    registers: [registry],
    collect() {
      this.set(sources.signIn() === 'ready' ? 1 : 0);
    },
  });
  const httpRequests = new Counter({
    name: 'justiam_cp_http_requests_total',
    help: 'HTTP requests by method, route and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'justiam_cp_http_request_duration_seconds',
    help: 'HTTP request latency by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const gqlOperations = new Counter({
    name: 'justiam_cp_graphql_operations_total',
    help: 'GraphQL operations by name, type and outcome (ok or error).',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const gqlDuration = new Histogram({
    name: 'justiam_cp_graphql_operation_duration_seconds',
    help: 'GraphQL execution latency by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  /** Yoga plugin recording each executed operation; subscriptions are counted when they start. */
  const yogaPlugin: Plugin = {
    onExecute({ args }) {
      const started = performance.now();
      const { operation, type } = describe(args.document, args.operationName, known);
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          gqlOperations.inc({ operation, type, outcome: failed ? 'error' : 'ok' });
          gqlDuration.observe({ operation, type }, (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args }) {
      countSubscription(args.document, args.operationName);
    },
  };
  /** A subscription started: through the plugin, or joining one already running (shared-subscriptions.ts). */
  function countSubscription(document: Parameters<typeof describe>[0], operationName?: string | null) {
    const { operation, type } = describe(document, operationName, known);
    gqlOperations.inc({ operation, type, outcome: 'ok' });
  }

  return { registry, httpRequests, httpDuration, yogaPlugin, countSubscription };
}

/**
 * The operation's label: the name of a document the server itself sends (the REST routes'), else
 * the operation's first root field, else `other`. Never a name the client chose, so a client cannot
 * grow the metrics without bound.
 */
function describe(
  document: Parameters<typeof getOperationAST>[0],
  name: string | null | undefined,
  known: Known,
) {
  const op = getOperationAST(document, name ?? undefined);
  if (!op) return { operation: 'other', type: 'unknown' };
  const type = op.operation;
  if (op.name && known.documents.has(op.name.value)) return { operation: op.name.value, type };
  const first = op.selectionSet.selections[0];
  const field = first?.kind === Kind.FIELD ? first.name.value : undefined;
  return { operation: field && known.rootFields[type].has(field) ? field : 'other', type };
}

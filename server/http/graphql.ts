import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import {
  createGraphQLError,
  createYoga,
  isAsyncIterable,
  maskError,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { WebSocketServer } from 'ws';
import { schema } from '../../schema/index.ts';
import type { AppDeps, GraphQLContext } from '../context.ts';
import { ANONYMOUS_ACTOR } from '../domain/actor.ts';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Metrics } from './metrics.ts';
import { requestIdOf } from './request-id.ts';

type ServerContext = { req: IncomingMessage; res?: ServerResponse };

export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

/** The one GraphQL server behind /graphql, graphql-ws and the REST routes. */
export function createGraphQL(deps: AppDeps, metrics: Metrics): Yoga {
  const { db, bus, logger, config, tenants, runner } = deps;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'JustIAM Control Plane', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug({ component: 'graphql' }, args.map(String).join(' ')),
      info: (...args) => logger.info({ component: 'graphql' }, args.map(String).join(' ')),
      warn: (...args) => logger.warn({ component: 'graphql' }, args.map(String).join(' ')),
      error: (...args) => {
        const err = args.find((a) => a instanceof Error) as (Error & { originalError?: unknown }) | undefined;
        // A domain error is the caller's mistake, already answered with its message: not ours to alarm about.
        if (err?.originalError instanceof DomainError)
          logger.debug({ component: 'graphql', code: err.originalError.code }, err.message);
        else logger.error({ component: 'graphql', err }, 'graphql error');
      },
    },
    plugins: [metrics.yogaPlugin, requestErrorsAre400],
    maskedErrors: { maskError: exposeDomainErrors },
    context: ({ req }): GraphQLContext => {
      const requestId = requestIdOf(req);
      return {
        db,
        bus,
        tenants,
        runner,
        logger: logger.child({ requestId }),
        actor: ANONYMOUS_ACTOR,
        requestId,
      };
    },
  });
}

/**
 * Serves graphql-ws on the same path, through yoga's envelop so WebSocket operations get the same
 * context, plugins and error masking as HTTP ones.
 */
export function attachGraphQLWs(yoga: Yoga, wss: WebSocketServer) {
  type RootValue = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
  return serveGraphQLWs<Record<string, unknown>, { request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
}

/**
 * Domain errors thrown outside a mutation's error union (e.g. a bad cursor in a query) are meant
 * for the caller: keep their message and code, with a matching HTTP status. Everything else stays
 * masked as "Unexpected error.".
 */
function exposeDomainErrors(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof DomainError) {
    const status =
      original instanceof ValidationError
        ? 400
        : original instanceof NotFoundError
          ? 404
          : original instanceof ConflictError
            ? 409
            : 422;
    const path = (error as { path?: readonly (string | number)[] }).path;
    return createGraphQLError(original.message, {
      path,
      extensions: { code: original.code, http: { status } },
    });
  }
  return maskError(error, message, isDev);
}

/**
 * A request that never executed (unparseable, invalid against the schema, bad variables) is the
 * client's fault: answer 400 whatever media type was asked for. Yoga alone keeps 200 for plain
 * `application/json`, as the older GraphQL-over-HTTP rules say.
 */
const requestErrorsAre400: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result) || isAsyncIterable(result)) return;
    const executed = 'data' in result;
    const unexpected = result.errors?.some(
      (e) => (e as { extensions?: { unexpected?: boolean } }).extensions?.unexpected,
    );
    if (!executed && result.errors?.length && !unexpected) {
      setResult({ ...result, extensions: { ...result.extensions, http: { status: 400 } } });
    }
  },
};

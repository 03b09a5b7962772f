type OperationLike = { id: string; createdAt: string };

/**
 * The newer of two operations of one tenant: what the page fetched, or what arrived live. A
 * tenant's next operation (a delete after its create) arrives live before any query sees it.
 * For the same operation the live copy wins; the normalized cache makes them equal anyway.
 */
export function newestOperation<T extends OperationLike>(
  fetched: T | null | undefined,
  live: T | null | undefined,
): T | null {
  if (!fetched) return live ?? null;
  if (!live) return fetched;
  if (live.id === fetched.id) return live;
  return Date.parse(live.createdAt) >= Date.parse(fetched.createdAt) ? live : fetched;
}

/** Keeps the newest operation per tenant from a stream of operation events. */
export function liveOperationsReducer<T extends OperationLike & { tenant: { id: string } }>(
  operations: ReadonlyMap<string, T> | undefined,
  operation: T,
): ReadonlyMap<string, T> {
  const next = new Map(operations);
  const newest = newestOperation(next.get(operation.tenant.id), operation);
  if (newest) next.set(operation.tenant.id, newest);
  return next;
}

/**
 * Whether the tenant page shows `operation` above its tabs: while it runs or failed, or while the
 * tenant is not active. The Workers tab shows its own (worker settings) operation itself.
 */
export function operationAboveTabs(
  operation: { kind: string; state: string } | null,
  tenantState: string,
  section: string,
): boolean {
  if (!operation) return false;
  if (section === 'workers' && operation.kind === 'WORKERS') return false;
  return operation.state !== 'SUCCEEDED' || tenantState !== 'ACTIVE';
}

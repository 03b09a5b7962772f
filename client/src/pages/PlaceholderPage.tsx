import type { RouteId } from '../router/routes.ts';

const COMING: Partial<Record<RouteId, string>> = {
  tenants: 'Creating, inspecting and deleting tenants is coming to this page.',
  license: 'Activating, renewing and clearing the deployment license is coming to this page.',
  pools: 'Managing agent pools and their scale is coming to this page.',
  infrastructure: 'The live status of backends, login workers and agents is coming to this page.',
};

/** A section that is not built yet: says so in one sentence instead of showing an empty page. */
export function PlaceholderPage({ id, title }: { id: RouteId; title: string }) {
  return (
    <>
      <h1>{title}</h1>
      <p>{COMING[id] ?? `The ${title} section is coming.`}</p>
    </>
  );
}

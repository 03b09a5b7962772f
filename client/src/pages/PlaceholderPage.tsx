import { Card } from '@mantine/core';
import { IconLicense } from '../components/icons.tsx';
import { NotAvailable } from '../components/NotAvailable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import type { RouteId } from '../router/routes.ts';

// Sections announced before they are built, with what they will show (none at the moment).
const COMING: Partial<Record<RouteId, { icon: typeof IconLicense; text: string }>> = {};

/** A section that is not built yet: says so in one sentence instead of showing an empty page. */
export function PlaceholderPage({ id, title }: { id: RouteId; title: string }) {
  const coming = COMING[id];
  const Icon = coming?.icon ?? IconLicense;
  return (
    <>
      <PageHeader title={title} />
      <Card data-testid="placeholder-page">
        <NotAvailable icon={<Icon size={28} />} title={`${title} is coming`}>
          {coming?.text ?? `The ${title} section is coming.`}
        </NotAvailable>
      </Card>
    </>
  );
}

import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TombstoneView_DeletedTenantFragment } from '../../../client/src/gql/graphql.ts';
import { TombstoneView } from '../../../client/src/tenants/TombstoneView.tsx';

const tombstone = (
  patch: Partial<TombstoneView_DeletedTenantFragment> = {},
): TombstoneView_DeletedTenantFragment => ({
  slug: 'acme-corp',
  name: 'Acme Corp',
  createdBy: 'ada@acme.test',
  createdAt: '2026-11-01T08:00:00Z',
  deletedAt: '2026-11-28T12:00:05Z',
  deleteRequestedAt: '2026-11-28T12:00:00Z',
  deletedBy: 'grace@acme.test',
  backupsPurged: false,
  backupsRemovedAt: '2026-12-28T12:00:05Z',
  slugInUse: false,
  auditLog: {
    edges: [
      {
        node: {
          id: '3',
          at: '2026-11-28T12:00:05Z',
          action: 'tenant.delete.completed',
          actor: { label: 'control plane' },
        },
      },
      {
        node: {
          id: '2',
          at: '2026-11-28T12:00:00Z',
          action: 'tenant.delete.requested',
          actor: { label: 'grace@acme.test' },
        },
      },
    ],
    pageInfo: { hasNextPage: false },
  },
  backups: {
    edges: [
      {
        node: {
          id: 'b-1',
          state: 'SUCCEEDED',
          trigger: 'MANUAL',
          startedAt: '2026-11-27T02:30:00Z',
          sizeBytes: 2048,
          sha256: 'ab',
        },
      },
    ],
  },
  ...patch,
});

const render = (t: TombstoneView_DeletedTenantFragment, mayDownload = true) =>
  renderToStaticMarkup(
    <MantineProvider>
      <TombstoneView tombstone={t} mayDownload={mayDownload} />
    </MantineProvider>,
  );

describe('TombstoneView', () => {
  it('shows who deleted the tenant, its audit entries and its kept backups with download links and their removal', () => {
    const html = render(tombstone());
    expect(html).toContain('This tenant was deleted');
    expect(html).toContain('grace@acme.test');
    expect(html).toContain('Tenant deletion requested');
    expect(html).toContain('Tenant deleted');
    expect(html).toContain('data-backups="1"');
    expect(html).toContain('href="/tenants/acme-corp/backups/b-1/download"');
    expect(html).toMatch(/data-testid="tombstone-removal"[^>]*>removed /);
    // Read-only, and no health: nothing to ask a backend that is gone.
    expect(html).not.toMatch(/Delete tenant|Repair|Status|Users/);
  });

  it('offers no download to whoever may not download backups, and says when the backups went with the tenant', () => {
    const html = render(tombstone({ backupsPurged: true, backups: { edges: [] }, slugInUse: true }), false);
    expect(html).not.toContain('/download');
    expect(html).toContain('removed with the tenant (purge asked)');
    expect(html).toContain('No backups are kept for this tenant.');
    expect(html).toContain('A new tenant has the slug');
    expect(render(tombstone(), false)).not.toContain('/download');
  });
});

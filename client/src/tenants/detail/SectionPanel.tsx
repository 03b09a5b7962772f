import { Card, EmptyState } from '@mantine/core';
import { BackupsSection } from '../../backups/BackupsSection.tsx';
import type { OperationSteps_OperationFragment, TenantState } from '../../gql/graphql.ts';
import { WorkersSection } from '../../workers/WorkersSection.tsx';
import type { TenantSection } from '../sections.tsx';
import { AdminPasswordSection } from './AdminPasswordSection.tsx';
import { BootstrapTokenSection } from './BootstrapTokenSection.tsx';
import { CpTokenSection } from './CpTokenSection.tsx';
import { DatabaseSection } from './DatabaseSection.tsx';
import { SecretsSection } from './SecretsSection.tsx';

type SectionPanelProps = {
  section: TenantSection;
  slug: string;
  state: TenantState;
  /** The tenant's newest operation, live, for the sections that follow theirs. */
  operation: OperationSteps_OperationFragment | null;
};

/** One tab of a tenant's page beyond the overview. Its secrets and database exist once it is active. */
export function SectionPanel({ section, slug, state, operation }: SectionPanelProps) {
  if (state !== 'ACTIVE') {
    const Icon = section.icon;
    return (
      <Card>
        <EmptyState
          py={48}
          icon={<Icon size={28} />}
          withIndicatorBackground
          title={section.label}
          description={`${section.description} Available once the tenant is active.`}
        />
      </Card>
    );
  }
  switch (section.id) {
    case 'admin-password':
      return <AdminPasswordSection slug={slug} />;
    case 'database':
      return <DatabaseSection slug={slug} />;
    case 'secrets':
      return <SecretsSection slug={slug} />;
    case 'bootstrap-token':
      return <BootstrapTokenSection slug={slug} />;
    case 'cp-token':
      return <CpTokenSection slug={slug} />;
    case 'workers':
      return <WorkersSection slug={slug} operation={operation} />;
    case 'backups':
      return <BackupsSection slug={slug} />;
    default:
      return null;
  }
}

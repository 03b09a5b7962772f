import { Button, Card, Center, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconTenants } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { ActivateLicenseCard } from '../license/ActivateLicenseCard.tsx';
import { AllocationTable } from '../license/AllocationTable.tsx';
import { LicenseStatusCard } from '../license/LicenseStatusCard.tsx';
import { LicenseUsageCard } from '../license/LicenseUsageCard.tsx';
import {
  FIRST_PAGE,
  LINES_PER_PAGE,
  nextPage,
  type PageTrail,
  pageOf,
  previousPage,
} from '../license/lines-page.ts';

// The whole page in one selection: the query, licenseChanged and every license mutation answer
// with it, for the same page of tenant lines, so whichever answered last is what shows.
graphql(`
  fragment LicensePage_License on License {
    state
    ...LicenseStatusCard_License
    ...LicenseUsageCard_License
    tenants(first: $first, after: $after) {
      edges {
        node {
          ...AllocationTable_Tenant
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const LicensePage_Status = graphql(`
  query LicensePage_Status($first: Int!, $after: String) {
    license {
      ...LicensePage_License
    }
  }
`);

const LicensePage_Changed = graphql(`
  subscription LicensePage_Changed($first: Int!, $after: String) {
    licenseChanged {
      ...LicensePage_License
    }
  }
`);

/**
 * The deployment's license: what is in force, its use, each tenant's allocation and sync, and for
 * admins activate, renew, clear and allocate. Kept current by `licenseChanged` (the normalized
 * cache holds one License, which every update replaces).
 */
export function LicensePage() {
  const mayManage = useCan('license.manage');
  const [trail, setTrail] = useState<PageTrail>(FIRST_PAGE);
  const page = useMemo(() => pageOf(trail), [trail]);
  const [result] = useQuery({
    query: LicensePage_Status,
    variables: page,
    requestPolicy: 'cache-and-network',
  });
  const [live] = useSubscription({ query: LicensePage_Changed, variables: page });
  const license = result.data?.license;

  const header = (
    <PageHeader
      title="License"
      description="The deployment's license and how its users are divided among tenants. Every tenant's backend is told of each change; progress shows here live."
    />
  );
  if (!license) {
    return (
      <>
        {header}
        {result.error ? (
          <Problem title="The license could not be loaded" message={describeError(result.error)} />
        ) : (
          <Center h={240}>
            <Loader />
          </Center>
        )}
      </>
    );
  }

  const { edges, pageInfo } = license.tenants;
  const free = license.state === 'FREE';
  return (
    <>
      {header}
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <LicenseStatusCard license={license} page={page} mayManage={mayManage} />
          <LicenseUsageCard license={license} />
        </SimpleGrid>
        {mayManage && <ActivateLicenseCard replaces={!free} page={page} />}
        <Card>
          <Title order={2} fz="md">
            Allocations
          </Title>
          <Text fz="sm" c="dimmed" mb="md">
            {free
              ? 'Allocations divide a license’s users among tenants; in the free tier each tenant gets the free limit.'
              : 'A tenant with an allocation may have that many users; the others share what no allocation holds.'}
          </Text>
          {edges.length === 0 ? (
            <Group gap="xs" c="dimmed">
              <IconTenants size={16} />
              <Text fz="sm">{trail.length > 1 ? 'No more tenants.' : 'No tenants yet.'}</Text>
            </Group>
          ) : (
            <AllocationTable
              lines={edges.map((edge) => edge.node)}
              licensed={!free}
              mayManage={mayManage}
              page={page}
            />
          )}
          {(trail.length > 1 || pageInfo.hasNextPage) && (
            <Group justify="space-between" mt="md">
              <Text fz="sm" c="dimmed">
                Page {trail.length.toLocaleString()} · {LINES_PER_PAGE} tenants a page
              </Text>
              <Group gap="sm">
                <Button
                  variant="default"
                  size="xs"
                  disabled={trail.length <= 1}
                  onClick={() => setTrail(previousPage)}
                >
                  Previous page
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!pageInfo.hasNextPage}
                  onClick={() => setTrail((current) => nextPage(current, pageInfo.endCursor))}
                >
                  Next page
                </Button>
              </Group>
            </Group>
          )}
        </Card>
        {live.error && (
          <Text fz="sm" c="orange" role="status">
            Live updates paused: {describeError(live.error)}
          </Text>
        )}
      </Stack>
    </>
  );
}

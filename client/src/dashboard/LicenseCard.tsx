import { Text } from '@mantine/core';
import { useQuery, useSubscription } from 'urql';
import { IconLicense } from '../components/icons.tsx';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { licenseCardSummary } from '../license/look.ts';
import { StatCard } from './cards.tsx';

graphql(`
  fragment LicenseCard_Figures on License {
    state
    licensee
    daysLeft
    usersInUse
    maxUsers
    freeTierMaxUsers
    sync {
      failed
    }
  }
`);

const LicenseCard_License = graphql(`
  query LicenseCard_License {
    license {
      ...LicenseCard_Figures
    }
  }
`);

const LicenseCard_Changed = graphql(`
  subscription LicenseCard_Changed {
    licenseChanged {
      ...LicenseCard_Figures
    }
  }
`);

/**
 * The dashboard's license figure, linking to the License page: state, licensee and days left,
 * users against the maximum, and tenants that failed to take it; kept current by licenseChanged
 * (one License in the cache, which each update replaces).
 */
export function LicenseCard() {
  const [result] = useQuery({ query: LicenseCard_License, requestPolicy: 'cache-and-network' });
  useSubscription({ query: LicenseCard_Changed });
  const license = result.data?.license;
  const summary = license ? licenseCardSummary(license) : null;
  return (
    <StatCard
      icon={IconLicense}
      label="License"
      to="/license"
      testId="stat-license"
      text={summary?.figure ?? (result.error ? '—' : undefined)}
      color={summary?.color}
    >
      {summary ? (
        <>
          <Text span display="block" fz="sm" c="dimmed" data-testid="license-detail">
            {summary.detail}
          </Text>
          <Text span display="block" fz="sm" c="dimmed" data-testid="license-users">
            {summary.users}
          </Text>
          {summary.problem && (
            <Text span display="block" fz="sm" c="red" data-testid="license-sync-problem">
              {summary.problem}
            </Text>
          )}
        </>
      ) : (
        result.error && describeError(result.error)
      )}
    </StatCard>
  );
}

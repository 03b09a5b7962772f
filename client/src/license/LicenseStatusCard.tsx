import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useMutation } from 'urql';
import { IconAlert, IconRotate, IconTrash } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import type { LicenseStatusCard_LicenseFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem } from '../graphql/mutation-errors.ts';
import { ConfirmAction } from '../tenants/detail/ConfirmAction.tsx';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';
import { LicenseStateBadge } from './badges.tsx';
import type { LinesPage } from './lines-page.ts';
import { expiryCountdown, LICENSE_STATE_LOOK } from './look.ts';

graphql(`
  fragment LicenseStatusCard_License on License {
    state
    licenseId
    licensee
    features
    issuedAt
    validFrom
    expiresAt
    daysLeft
    renewalUrlSet
    keyId
    activatedAt
    activatedBy
    freeTierMaxUsers
    renewal {
      failures
      lastError
      lastFailedAt
      nextAttemptAt
      renewedAt
    }
  }
`);

const LicenseStatusCard_Renew = graphql(`
  mutation LicenseStatusCard_Renew($first: Int!, $after: String) {
    renewLicense {
      __typename
      ... on MutationRenewLicenseSuccess {
        data {
          ...LicensePage_License
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const LicenseStatusCard_Clear = graphql(`
  mutation LicenseStatusCard_Clear($first: Int!, $after: String) {
    clearLicense {
      __typename
      ... on MutationClearLicenseSuccess {
        data {
          ...LicensePage_License
        }
      }
      ...MutationProblem_Error
    }
  }
`);

type LicenseStatusCardProps = {
  license: LicenseStatusCard_LicenseFragment;
  /** The tenant lines on screen, which the mutations' answers bring back too. */
  page: LinesPage;
  mayManage: boolean;
};

/** What the license in force says (or that there is none), with renew and clear for admins. */
export function LicenseStatusCard({ license, page, mayManage }: LicenseStatusCardProps) {
  const free = license.state === 'FREE';
  return (
    <Card data-testid="license-status">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md">
          Status
        </Title>
        <LicenseStateBadge state={license.state} />
      </Group>
      {free ? (
        <Stack gap="sm">
          <Text fz="sm">
            No license is active. Every tenant runs on the free tier, with up to{' '}
            <strong>{license.freeTierMaxUsers.toLocaleString()}</strong> users each.
          </Text>
          {mayManage && (
            <Text fz="sm" c="dimmed">
              Activate a license below to raise the limit and divide its users among tenants.
            </Text>
          )}
        </Stack>
      ) : (
        <Facts rows={licenseFacts(license)} />
      )}
      {!free && license.renewal.failures > 0 && <RenewalFailures renewal={license.renewal} />}
      {mayManage && !free && (
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm" mt="md">
          <RenewButton renewalUrlSet={license.renewalUrlSet} page={page} />
          <ClearButton freeTierMaxUsers={license.freeTierMaxUsers} page={page} />
        </SimpleGrid>
      )}
    </Card>
  );
}

function licenseFacts(license: LicenseStatusCard_LicenseFragment): (readonly [string, ReactNode])[] {
  const countdown = expiryCountdown(license.daysLeft);
  return [
    ['Licensee', <span key="l">{license.licensee ?? '—'}</span>],
    [
      'License ID',
      <span key="i" className="cp-mono" data-testid="license-id">
        {license.licenseId ?? '—'}
      </span>,
    ],
    [
      'Features',
      license.features.length > 0 ? (
        <Group key="f" gap={6}>
          {license.features.map((feature) => (
            <Badge key={feature} variant="outline" color="gray" tt="none">
              {feature}
            </Badge>
          ))}
        </Group>
      ) : (
        <Text key="f" span fz="sm" c="dimmed">
          none
        </Text>
      ),
    ],
    ['Valid from', license.validFrom ? formatTime(license.validFrom) : '—'],
    [
      'Expires',
      <Stack key="e" gap={0}>
        <span>{license.expiresAt ? formatTime(license.expiresAt) : '—'}</span>
        {countdown && (
          <Text
            span
            fz="sm"
            fw={500}
            c={license.state === 'ACTIVE' ? 'dimmed' : LICENSE_STATE_LOOK[license.state].color}
            data-testid="license-countdown"
          >
            {countdown}
          </Text>
        )}
      </Stack>,
    ],
    ['Issued', license.issuedAt ? formatTime(license.issuedAt) : '—'],
    [
      'Renewal URL',
      license.renewalUrlSet ? (
        <span key="r">Set: renewed automatically before it expires</span>
      ) : (
        <Text key="r" span fz="sm" c="dimmed">
          Not set: activate a new license to renew
        </Text>
      ),
    ],
    [
      'Signing key',
      <span key="k" className="cp-mono">
        {license.keyId ?? '—'}
      </span>,
    ],
    [
      license.renewal.renewedAt ? 'Renewed' : 'Activated',
      <span key="a">
        <TimeAgo iso={license.activatedAt} />
        {license.activatedBy ? ` by ${license.activatedBy}` : ''}
      </span>,
    ],
  ];
}

/** Renewal attempts that failed since the license was put in force; the license stays meanwhile. */
function RenewalFailures({ renewal }: { renewal: LicenseStatusCard_LicenseFragment['renewal'] }) {
  const times = renewal.failures === 1 ? 'once' : `${renewal.failures.toLocaleString()} times`;
  return (
    <Alert
      mt="md"
      color="orange"
      variant="light"
      icon={<IconAlert />}
      title={`Renewal failed ${times}`}
      data-testid="renewal-failures"
    >
      <Stack gap={4}>
        {renewal.lastError && <Text fz="sm">{renewal.lastError}</Text>}
        <Text fz="xs" c="dimmed">
          Last failed <TimeAgo iso={renewal.lastFailedAt} fallback="—" />
          {renewal.nextAttemptAt ? (
            <>
              {' '}
              · next attempt <time dateTime={renewal.nextAttemptAt}>{formatTime(renewal.nextAttemptAt)}</time>
            </>
          ) : null}
          . The current license stays in force meanwhile.
        </Text>
      </Stack>
    </Alert>
  );
}

/** Fetches a replacement from the renewal URL now; only a license naming one can be renewed. */
function RenewButton({ renewalUrlSet, page }: { renewalUrlSet: boolean; page: LinesPage }) {
  const [renewing, renew] = useMutation(LicenseStatusCard_Renew);
  const [problem, setProblem] = useState<MutationProblem<string> | null>(null);
  const [renewed, setRenewed] = useState(false);

  async function run() {
    setProblem(null);
    setRenewed(false);
    const result = await renew(page);
    const payload = result.data?.renewLicense;
    if (payload?.__typename === 'MutationRenewLicenseSuccess') setRenewed(true);
    else setProblem(mutationProblem(payload, result.error, []) ?? NO_ANSWER);
  }

  return (
    <Stack gap={6} align="flex-start">
      <Button
        size="sm"
        variant="default"
        leftSection={<IconRotate size={14} />}
        disabled={!renewalUrlSet}
        loading={renewing.fetching}
        onClick={() => void run()}
        title={renewalUrlSet ? undefined : 'This license names no renewal URL'}
        data-testid="renew-license"
      >
        Renew now
      </Button>
      {renewed && (
        <Text fz="sm" c="teal" role="status">
          Renewed.
        </Text>
      )}
      {problem && (
        <div data-testid="renew-license-problem">
          <Problem title="Renewal failed" message={problem.message} issues={problem.other} />
        </div>
      )}
    </Stack>
  );
}

/** Clears the license after asking: every tenant returns to the free tier. */
function ClearButton({ freeTierMaxUsers, page }: { freeTierMaxUsers: number; page: LinesPage }) {
  const [, clear] = useMutation(LicenseStatusCard_Clear);
  return (
    <ConfirmAction
      label="Clear license"
      title="Clear the license?"
      color="red"
      variant="outline"
      leftSection={<IconTrash size={14} />}
      testId="clear-license"
      onConfirm={async () => {
        const result = await clear(page);
        return mutationProblem(result.data?.clearLicense, result.error, []);
      }}
    >
      Every tenant returns to the free tier, with up to {freeTierMaxUsers.toLocaleString()} users each. The
      allocations are kept and apply again once a license is activated.
    </ConfirmAction>
  );
}

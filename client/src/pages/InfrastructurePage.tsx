import { Button, Center, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { useQuery } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconRotate } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import type { InfrastructurePage_UpgradeFragment, WorkerComponent } from '../gql/graphql.ts';
import { describeError } from '../graphql/errors.ts';
import { ComponentSection } from '../infrastructure/ComponentSection.tsx';
import { DatabaseCard } from '../infrastructure/DatabaseCard.tsx';
import { InfrastructurePage_Upgrades } from '../infrastructure/documents.ts';
import { COMPONENTS } from '../infrastructure/feed.ts';
import { PodDrawer } from '../infrastructure/PodDrawer.tsx';
import { UpgradeDialog, UpgradesCard } from '../infrastructure/Upgrades.tsx';
import { useInfrastructureFeed } from '../infrastructure/use-infrastructure-feed.ts';

const RECENT_UPGRADES = 10;
const STILL_OF_INTEREST = new Set(['RUNNING', 'STUCK', 'FAILED']);

/** The upgrades shown with their progress: each component's latest while it needs attention, and those started here. */
function followedUpgrades(
  upgrades: readonly InfrastructurePage_UpgradeFragment[],
  startedHere: readonly string[],
): string[] {
  const latest = new Map<WorkerComponent, InfrastructurePage_UpgradeFragment>();
  for (const upgrade of upgrades) if (!latest.has(upgrade.component)) latest.set(upgrade.component, upgrade);
  const ids = [...latest.values()].filter((u) => STILL_OF_INTEREST.has(u.state)).map((u) => u.id);
  return [...new Set([...startedHere, ...ids])];
}

/**
 * Every component's pods, live from the cluster's watches, with version drift flagged; the tenants'
 * database server; worker upgrades, started and followed here.
 */
export function InfrastructurePage() {
  const feed = useInfrastructureFeed();
  const [upgradesResult, refetchUpgrades] = useQuery({
    query: InfrastructurePage_Upgrades,
    variables: { first: RECENT_UPGRADES },
    requestPolicy: 'cache-and-network',
  });
  const mayUpgrade = useCan('infrastructure.upgrade');
  const [dialogOpen, dialog] = useDisclosure(false);
  const [pod, setPod] = useState<string | null>(null);
  const [startedHere, setStartedHere] = useState<string[]>([]);
  const state = feed.state;

  const follow = (id: string) => {
    // The newest first: a rollback shows above the upgrade it replaces.
    setStartedHere((ids) => [id, ...ids.filter((x) => x !== id)].slice(0, 4));
    refetchUpgrades({ requestPolicy: 'network-only' });
  };

  // An upgrade started elsewhere (another operator, the REST API) changes the version requested of
  // its component, which the feed brings: the list is read again then.
  const requested = `${state?.components.LOGIN_WORKER.requestedVersion}|${state?.components.AGENT.requestedVersion}`;
  const lastRequested = useRef(requested);
  useEffect(() => {
    if (lastRequested.current === requested) return;
    lastRequested.current = requested;
    refetchUpgrades({ requestPolicy: 'network-only' });
  }, [requested, refetchUpgrades]);

  const upgrades = upgradesResult.data?.workerUpgrades.edges.map((e) => e.node) ?? state?.upgrades ?? [];
  const header = (
    <PageHeader
      title="Infrastructure"
      description="Every component’s pods as the cluster reports them, live; the tenants’ database server; worker version upgrades."
      actions={
        mayUpgrade && (
          <Button leftSection={<IconRotate size={16} />} onClick={dialog.open} data-testid="open-upgrade">
            Upgrade workers
          </Button>
        )
      }
    />
  );

  if (!state) {
    return (
      <>
        {header}
        {feed.error ? (
          <Problem title="The infrastructure could not be loaded" message={feed.error} />
        ) : (
          <Center h={240}>
            <Loader aria-label="Loading the infrastructure" />
          </Center>
        )}
      </>
    );
  }

  const versionsOf: Partial<Record<WorkerComponent, readonly string[]>> = {
    LOGIN_WORKER: state.components.LOGIN_WORKER.versions,
    AGENT: state.components.AGENT.versions,
  };

  return (
    <>
      {header}
      <Stack gap="lg" data-testid="infrastructure">
        {feed.error && (
          <Text fz="sm" c="orange" role="status">
            Live updates paused: {feed.error}
          </Text>
        )}
        <Text fz="xs" c="dimmed">
          Select a pod to see its details and the state changes seen since this page opened.
        </Text>
        {COMPONENTS.map((component) => (
          <ComponentSection key={component} status={state.components[component]} onPod={setPod} />
        ))}
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <DatabaseCard database={state.database} error={state.databaseError} />
          <Stack gap="xs">
            <UpgradesCard
              upgrades={upgrades}
              followed={followedUpgrades(upgrades, startedHere)}
              onFollow={follow}
            />
            {upgradesResult.error && (
              <Group>
                <Text fz="sm" c="orange">
                  Upgrades could not be listed: {describeError(upgradesResult.error)}
                </Text>
              </Group>
            )}
          </Stack>
        </SimpleGrid>
      </Stack>
      <PodDrawer state={state} name={pod} onClose={() => setPod(null)} />
      {mayUpgrade && (
        <UpgradeDialog opened={dialogOpen} onClose={dialog.close} current={versionsOf} onStarted={follow} />
      )}
    </>
  );
}

import { Badge, Button, Collapse, Group, Loader, Stack, Text, ThemeIcon, Timeline } from '@mantine/core';
import { type ReactNode, useId, useState } from 'react';
import type { OperationSteps_OperationFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { OPERATION_TITLES, stepLabel } from '../tenants/labels.ts';
import { IconCheck, IconChevronDown, IconX } from './icons.tsx';
import { TimeAgo } from './TimeAgo.tsx';
import { formatDuration } from './time.ts';

graphql(`
  fragment OperationSteps_Operation on TenantOperation {
    id
    kind
    state
    currentStep
    attempts
    lastError
    nextAttemptAt
    requestedBy
    createdAt
    finishedAt
    steps {
      name
      state
      startedAt
      finishedAt
      error
    }
  }
`);

const OPERATION_STATE = {
  RUNNING: { label: 'Running', color: 'blue' },
  SUCCEEDED: { label: 'Succeeded', color: 'teal' },
  FAILED: { label: 'Failed', color: 'red' },
  CANCELLED: { label: 'Cancelled', color: 'gray' },
} as const;

type Step = OperationSteps_OperationFragment['steps'][number];

function StepBullet({ step, running }: { step: Step; running: boolean }) {
  if (step.state === 'DONE') {
    return (
      <ThemeIcon size={22} radius="xl" color="teal">
        <IconCheck size={14} />
      </ThemeIcon>
    );
  }
  if (step.state === 'FAILED') {
    return (
      <ThemeIcon size={22} radius="xl" color="red">
        <IconX size={14} />
      </ThemeIcon>
    );
  }
  if (running) return <Loader size={14} />;
  return null;
}

/** Whether an operation has ended well or was called off: nothing in it needs anyone any more. */
export function isFinished(operation: Pick<OperationSteps_OperationFragment, 'state'>): boolean {
  return operation.state === 'SUCCEEDED' || operation.state === 'CANCELLED';
}

type OperationStepsProps = {
  operation: OperationSteps_OperationFragment;
  /**
   * A finished operation shows as one summary line that opens to its steps; a running or failed
   * one stays open. Off where the steps are the point (following a create in its dialog).
   */
  collapsible?: boolean;
  /** Shown beside the explanation of a failed attempt: what the operator can do about it. */
  problemAction?: ReactNode;
};

/**
 * An operation's steps as a timeline that fills in live: done steps with their duration, the
 * current one spinning, a failed attempt with the API's error and when it will be retried.
 */
export function OperationSteps({ operation, collapsible = false, problemAction }: OperationStepsProps) {
  const look = OPERATION_STATE[operation.state];
  const doneCount = operation.steps.filter((s) => s.state === 'DONE').length;
  const collapses = collapsible && isFinished(operation);
  const [expanded, setExpanded] = useState(false);
  const stepsId = useId();
  const open = !collapses || expanded;
  const took =
    operation.finishedAt && operation.state === 'SUCCEEDED'
      ? ` in ${formatDuration(operation.createdAt, operation.finishedAt)}`
      : '';
  return (
    <Stack
      gap="md"
      data-testid="operation"
      data-operation-state={operation.state}
      data-kind={operation.kind}
      data-collapsed={collapses ? String(!expanded) : undefined}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs">
          <Text fw={600}>{OPERATION_TITLES[operation.kind]}</Text>
          <Badge color={look.color}>{look.label}</Badge>
          <Text fz="sm" c="dimmed">
            {doneCount} of {operation.steps.length} steps{collapses ? took : ''}
          </Text>
        </Group>
        <Group gap="xs">
          <Text fz="xs" c="dimmed">
            Requested by {operation.requestedBy} · <TimeAgo iso={operation.createdAt} />
          </Text>
          {collapses && (
            <Button
              variant="subtle"
              size="compact-xs"
              onClick={() => setExpanded((v) => !v)}
              aria-expanded={expanded}
              aria-controls={stepsId}
              rightSection={
                <IconChevronDown size={14} style={{ transform: expanded ? 'rotate(180deg)' : undefined }} />
              }
              data-testid="operation-toggle"
            >
              {expanded ? 'Hide steps' : 'Show steps'}
            </Button>
          )}
        </Group>
      </Group>
      <Collapse
        expanded={open}
        id={stepsId}
        transitionDuration={collapses ? 150 : 0}
        keepMountedMode="display-none"
      >
        <StepTimeline operation={operation} />
      </Collapse>
      {operation.lastError && operation.state !== 'SUCCEEDED' && (
        <Group gap="sm" wrap="wrap" align="center" data-testid="operation-problem">
          <Text
            fz="sm"
            c={operation.state === 'FAILED' ? 'red' : 'orange'}
            role="status"
            style={{ flex: '1 1 16rem' }}
          >
            {operation.state === 'RUNNING'
              ? `Attempt ${operation.attempts} failed: ${operation.lastError}. Retrying${
                  operation.nextAttemptAt
                    ? ` at ${new Date(operation.nextAttemptAt).toLocaleTimeString()}`
                    : ''
                }.`
              : operation.lastError}
          </Text>
          {problemAction}
        </Group>
      )}
    </Stack>
  );
}

function StepTimeline({ operation }: { operation: OperationSteps_OperationFragment }) {
  const active = operation.steps.findIndex((s) => s.state !== 'DONE');
  return (
    <Timeline active={active === -1 ? operation.steps.length : active - 1} bulletSize={22} lineWidth={2}>
      {operation.steps.map((step, index) => {
        // The first step not done, and any step running beside it (the registry beside the database).
        const running = operation.state === 'RUNNING' && (index === active || step.state === 'RUNNING');
        return (
          <Timeline.Item
            key={step.name}
            bullet={<StepBullet step={step} running={running} />}
            color={step.state === 'FAILED' ? 'red' : 'teal'}
            title={
              <Text
                fz="sm"
                fw={running ? 600 : 500}
                c={step.state === 'PENDING' && !running ? 'dimmed' : undefined}
              >
                {stepLabel(operation.kind, step.name)}
              </Text>
            }
            data-step={step.name}
            data-step-state={step.state}
          >
            <Text fz="xs" c="dimmed">
              {step.state === 'DONE' && step.startedAt && step.finishedAt
                ? `Done in ${formatDuration(step.startedAt, step.finishedAt)}`
                : step.state === 'FAILED'
                  ? 'Failed'
                  : running
                    ? 'In progress…'
                    : 'Waiting'}
            </Text>
            {step.error && (
              <Text fz="xs" c="red" mt={2}>
                {step.error}
              </Text>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

import { ActionIcon, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import type { Ref } from 'react';
import { IconCheck, IconCopy, IconEye } from '../../components/icons.tsx';
import { Problem } from '../../components/Problem.tsx';
import type { Reveal } from './use-reveal.ts';

/** A value shown once, with a copy button (`copyRef` reaches it, e.g. to move focus there). */
export function ShownOnce({
  value,
  testId,
  copyRef,
}: {
  value: string;
  testId?: string;
  copyRef?: Ref<HTMLButtonElement>;
}) {
  return (
    // The value wraps inside its card; the copy button never leaves it.
    <Group gap={6} wrap="nowrap" align="center" miw={0}>
      <Code
        className="cp-mono"
        fz="sm"
        data-testid={testId}
        style={{ wordBreak: 'break-all', minWidth: 0, flex: '1 1 auto' }}
      >
        {value}
      </Code>
      <CopyButton value={value} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
            <ActionIcon
              ref={copyRef}
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label="Copy"
              style={{ flex: 'none' }}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

type RevealFieldProps = {
  reveal: Reveal;
  /** Whether the operator may reveal; others see only the mask. */
  allowed: boolean;
  mask?: string;
  label: string;
  testId: string;
};

/**
 * A secret behind a "Reveal" button: masked until an admin asks (an audited request), then shown
 * with a copy button until hidden, the tab changes or the page is left.
 */
export function RevealField({ reveal, allowed, mask = '••••••••••••', label, testId }: RevealFieldProps) {
  return (
    <Stack gap={6}>
      {reveal.value !== null ? (
        <Group gap="xs" wrap="nowrap" miw={0}>
          <ShownOnce value={reveal.value} testId={`${testId}-value`} />
          <Button
            size="compact-sm"
            variant="subtle"
            color="gray"
            onClick={reveal.hide}
            style={{ flex: 'none' }}
          >
            Hide
          </Button>
        </Group>
      ) : (
        <Group gap="sm" wrap="wrap">
          <Text className="cp-mono" c="dimmed" fz="sm">
            {mask}
          </Text>
          {allowed && (
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconEye size={14} />}
              loading={reveal.revealing}
              onClick={() => void reveal.reveal()}
              aria-label={`Reveal ${label}`}
              data-testid={`${testId}-reveal`}
            >
              Reveal
            </Button>
          )}
        </Group>
      )}
      {reveal.value !== null && (
        <Text fz="xs" c="dimmed">
          This reveal is in the audit log. The value is not kept: it is gone when you leave this tab.
        </Text>
      )}
      {reveal.problem && <Problem title={`The ${label} was not revealed`} message={reveal.problem.message} />}
    </Stack>
  );
}

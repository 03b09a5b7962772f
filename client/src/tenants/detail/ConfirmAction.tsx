import { Button, type ButtonProps, Group, Modal, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Problem } from '../../components/Problem.tsx';
import type { MutationProblem } from '../../graphql/mutation-errors.ts';

type ConfirmActionProps = {
  /** The button's text; also the confirm button's unless `confirmLabel` says otherwise. */
  label: string;
  title: string;
  /** What will happen, shown in the dialog. */
  children: ReactNode;
  /** Fields the dialog asks for (e.g. an expiry); `ready` says whether they may be sent. */
  fields?: ReactNode;
  ready?: boolean;
  confirmLabel?: string;
  color?: ButtonProps['color'];
  variant?: ButtonProps['variant'];
  leftSection?: ReactNode;
  disabled?: boolean;
  testId: string;
  /** Runs the action; its problem, in the API's words, or null when it worked. */
  onConfirm: () => Promise<MutationProblem<string> | null>;
  onDone?: () => void;
};

/** A button that asks first, runs one mutation, and shows its error right under itself. */
export function ConfirmAction({
  label,
  title,
  children,
  fields,
  ready = true,
  confirmLabel = label,
  color,
  variant = 'default',
  leftSection,
  disabled,
  testId,
  onConfirm,
  onDone,
}: ConfirmActionProps) {
  const [opened, setOpened] = useState(false);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<string> | null>(null);

  async function confirm() {
    setRunning(true);
    const outcome = await onConfirm();
    setRunning(false);
    setOpened(false);
    setProblem(outcome);
    if (!outcome) onDone?.();
  }

  return (
    <Stack gap={6} align="flex-start">
      <Button
        size="sm"
        color={color}
        variant={variant}
        leftSection={leftSection}
        disabled={disabled}
        loading={running}
        onClick={() => {
          setProblem(null);
          setOpened(true);
        }}
        data-testid={testId}
      >
        {label}
      </Button>
      {problem && (
        <div data-testid={`${testId}-problem`}>
          <Problem title={`${label} failed`} message={problem.message} issues={problem.other} />
        </div>
      )}
      <Modal opened={opened} onClose={() => setOpened(false)} title={<Text fw={600}>{title}</Text>}>
        <Stack gap="md" data-testid={`${testId}-confirm`}>
          <Text fz="sm">{children}</Text>
          {fields}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpened(false)}>
              Cancel
            </Button>
            <Button color={color} loading={running} disabled={!ready} onClick={() => void confirm()}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

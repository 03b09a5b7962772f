import { Input, NumberInput, SegmentedControl, Select, Text } from '@mantine/core';
import { useState } from 'react';
import type { TaskWorkerMode, WorkersSection_ConfigFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { sentence } from '../graphql/mutation-errors.ts';
import {
  CONCURRENCY_RANGE,
  NO_POOL,
  parseWholeNumber,
  poolArgument,
  poolOptions,
  taskModeHint,
} from './rules.ts';
import { SettingForm, useSettingMutation } from './SettingForm.tsx';

const TaskWorkerForms_SetMode = graphql(`
  mutation TaskWorkerForms_SetMode($slug: String!, $mode: TaskWorkerMode!) {
    setTenantWorkerMode(slug: $slug, mode: $mode) {
      __typename
      ... on MutationSetTenantWorkerModeSuccess {
        data {
          ...WorkersSection_Tenant
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const TaskWorkerForms_SetConcurrency = graphql(`
  mutation TaskWorkerForms_SetConcurrency($slug: String!, $limit: Int!) {
    setTenantConcurrency(slug: $slug, limit: $limit) {
      __typename
      ... on MutationSetTenantConcurrencySuccess {
        data {
          ...WorkersSection_Tenant
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const TaskWorkerForms_SetPool = graphql(`
  mutation TaskWorkerForms_SetPool($slug: String!, $pool: String) {
    setTenantPool(slug: $slug, pool: $pool) {
      __typename
      ... on MutationSetTenantPoolSuccess {
        data {
          ...WorkersSection_Tenant
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const MODES: { value: TaskWorkerMode; label: string }[] = [
  { value: 'INLINE', label: 'Inline' },
  { value: 'AGENT', label: 'Agent' },
];

/**
 * Inline or agent. Agent mode needs a pool, the tenant's or the shared one: the API says so
 * (NO_AGENT_POOL, naming both fixes) and its words show under the form.
 */
export function TaskModeForm({
  slug,
  config,
  sharedPool,
}: {
  slug: string;
  config: WorkersSection_ConfigFragment;
  /** Whether the shared agent pool exists, once known. */
  sharedPool: boolean | undefined;
}) {
  const [mode, setMode] = useState<TaskWorkerMode>(config.taskMode);
  const save = useSettingMutation(TaskWorkerForms_SetMode, (d) => d.setTenantWorkerMode, []);
  return (
    <SettingForm
      testId="task-mode-form"
      ready={mode !== config.taskMode}
      running={save.running}
      problem={save.problem}
      problemTitle="The mode was not changed"
      hint={
        <Text fz="xs" c="dimmed">
          {taskModeHint(mode, config.pool?.name ?? null, sharedPool)}
        </Text>
      }
      onSubmit={() => void save.run({ slug, mode })}
    >
      <Input.Wrapper label="Task worker mode" labelElement="div">
        <SegmentedControl
          display="flex"
          w="fit-content"
          aria-label="Task worker mode"
          data={MODES}
          value={mode}
          onChange={(value) => {
            setMode(value as TaskWorkerMode);
            save.clear();
          }}
        />
      </Input.Wrapper>
    </SettingForm>
  );
}

/** How many tasks run at once, 1–1000, checked as typed. */
export function ConcurrencyForm({ slug, current }: { slug: string; current: number }) {
  const [draft, setDraft] = useState<string | number>(current);
  // The API names the field `concurrency` in its issues.
  const save = useSettingMutation(TaskWorkerForms_SetConcurrency, (d) => d.setTenantConcurrency, [
    'concurrency',
  ]);
  const parsed = parseWholeNumber(draft, CONCURRENCY_RANGE);
  const fieldError = save.problem?.fields.concurrency ?? parsed.problem;
  return (
    <SettingForm
      testId="concurrency-form"
      ready={parsed.value !== null && parsed.value !== current}
      running={save.running}
      problem={save.problem}
      onField={Boolean(save.problem?.fields.concurrency)}
      problemTitle="The concurrency was not changed"
      onSubmit={() => parsed.value !== null && void save.run({ slug, limit: parsed.value })}
    >
      <NumberInput
        label="Tasks at once"
        value={draft}
        onChange={(value) => {
          setDraft(value);
          save.clear();
        }}
        error={fieldError ? sentence(fieldError) : undefined}
        min={CONCURRENCY_RANGE.min}
        max={CONCURRENCY_RANGE.max}
        clampBehavior="none"
        allowDecimal={false}
        allowNegative={false}
        w={160}
      />
    </SettingForm>
  );
}

type PoolFormProps = {
  slug: string;
  current: string | null;
  pools: readonly { name: string; labels: readonly string[] }[];
};

/** The agent pool the tenant's agents come from; none means the shared agent pool in agent mode. */
export function PoolForm({ slug, current, pools }: PoolFormProps) {
  const [value, setValue] = useState<string>(current ?? NO_POOL);
  const save = useSettingMutation(TaskWorkerForms_SetPool, (d) => d.setTenantPool, ['pool']);
  const fieldError = save.problem?.fields.pool;
  return (
    <SettingForm
      testId="pool-form"
      ready={poolArgument(value) !== current}
      running={save.running}
      problem={save.problem}
      onField={Boolean(fieldError)}
      problemTitle="The pool was not changed"
      onSubmit={() => void save.run({ slug, pool: poolArgument(value) })}
    >
      <Select
        label="Agent pool"
        data={poolOptions(pools, current)}
        value={value}
        onChange={(next) => {
          setValue(next ?? NO_POOL);
          save.clear();
        }}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No pool by that name"
        error={fieldError ? sentence(fieldError) : undefined}
        w={260}
      />
    </SettingForm>
  );
}

import { Group, Input, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { LoginWorkerMode } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { sentence } from '../graphql/mutation-errors.ts';
import { LOGIN_MODE_HINT } from './look.ts';
import {
  CONCURRENCY_RANGE,
  LOGIN_WORKER_FIELDS,
  type LoginWorkerDraft,
  loginWorkerDraft,
  loginWorkerInput,
  sameLoginWorker,
} from './rules.ts';
import { SettingForm, useSettingMutation } from './SettingForm.tsx';

const LoginWorkerForm_Set = graphql(`
  mutation LoginWorkerForm_Set($slug: String!, $input: LoginWorkerInput!) {
    setTenantLoginWorker(slug: $slug, input: $input) {
      __typename
      ... on MutationSetTenantLoginWorkerSuccess {
        data {
          ...WorkersSection_Tenant
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const MODES: { value: LoginWorkerMode; label: string }[] = [
  { value: 'INLINE', label: 'Inline' },
  { value: 'SHARED', label: 'Shared' },
  { value: 'DEDICATED', label: 'Dedicated' },
];

type LoginWorkerFormProps = {
  slug: string;
  current: { mode: LoginWorkerMode; url?: string | null; maxConcurrent: number };
};

/** Inline, shared (optionally at a URL of its own) or dedicated, and how many scripts at once. */
export function LoginWorkerForm({ slug, current }: LoginWorkerFormProps) {
  const [draft, setDraft] = useState<LoginWorkerDraft>(() => loginWorkerDraft(current));
  const save = useSettingMutation(LoginWorkerForm_Set, (d) => d.setTenantLoginWorker, LOGIN_WORKER_FIELDS);
  const checked = loginWorkerInput(draft);
  const edit = (patch: Partial<LoginWorkerDraft>) => {
    setDraft((before) => ({ ...before, ...patch }));
    save.clear();
  };
  const errorOf = (field: 'url' | 'maxConcurrent') => {
    const text = save.problem?.fields[field] ?? checked.errors?.[field];
    return text ? sentence(text) : undefined;
  };
  const onField = Boolean(save.problem?.fields.url || save.problem?.fields.maxConcurrent);

  return (
    <SettingForm
      testId="login-worker-form"
      ready={checked.input !== null && !sameLoginWorker(draft, loginWorkerDraft(current))}
      running={save.running}
      problem={save.problem}
      onField={onField}
      problemTitle="The login worker was not changed"
      inline={false}
      hint={
        <Text fz="xs" c="dimmed">
          {LOGIN_MODE_HINT[draft.mode]}
        </Text>
      }
      onSubmit={() => checked.input && void save.run({ slug, input: checked.input })}
    >
      <Stack gap="sm">
        <Input.Wrapper label="Login worker mode" labelElement="div">
          <SegmentedControl
            display="flex"
            w="fit-content"
            aria-label="Login worker mode"
            data={MODES}
            value={draft.mode}
            onChange={(value) => edit({ mode: value as LoginWorkerMode })}
          />
        </Input.Wrapper>
        <Group gap="sm" align="flex-start" wrap="wrap">
          {draft.mode === 'SHARED' && (
            <TextInput
              label="URL"
              description="Empty: the deployment’s shared login worker"
              placeholder="http://login-worker-shared:8090"
              value={draft.url}
              onChange={(event) => edit({ url: event.currentTarget.value })}
              error={errorOf('url')}
              spellCheck={false}
              autoComplete="off"
              classNames={{ input: 'cp-mono' }}
              w={320}
            />
          )}
          <NumberInput
            label="Scripts at once"
            description={`${CONCURRENCY_RANGE.min}–${CONCURRENCY_RANGE.max}`}
            value={draft.maxConcurrent}
            onChange={(value) => edit({ maxConcurrent: value })}
            error={errorOf('maxConcurrent')}
            min={CONCURRENCY_RANGE.min}
            max={CONCURRENCY_RANGE.max}
            clampBehavior="none"
            allowDecimal={false}
            allowNegative={false}
            w={160}
          />
        </Group>
      </Stack>
    </SettingForm>
  );
}

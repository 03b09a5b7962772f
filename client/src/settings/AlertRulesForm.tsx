import { Button, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconCheck } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import type { AlertRulesForm_RulesFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { useUnsavedChanges } from '../router/leave-guard.ts';
import { formatLevels, parseLevels } from './alert-rules.ts';

graphql(`
  fragment AlertRulesForm_Rules on AlertSettings {
    licenseLeadDays
    capacityThresholds
    unhealthyMinutes
    reportHour
    reportTimeZone
  }
`);

const AlertRulesForm_Query = graphql(`
  query AlertRulesForm_Query {
    alertSettings {
      ...AlertRulesForm_Rules
    }
  }
`);

const AlertRulesForm_Update = graphql(`
  mutation AlertRulesForm_Update($input: AlertSettingsInput!) {
    updateAlertSettings(input: $input) {
      __typename
      ... on MutationUpdateAlertSettingsSuccess {
        data {
          ...AlertRulesForm_Rules
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const FIELDS = [
  'licenseLeadDays',
  'capacityThresholds',
  'unhealthyMinutes',
  'reportHour',
  'reportTimeZone',
] as const;
type Field = (typeof FIELDS)[number];
type Form = {
  leadDays: string;
  thresholds: string;
  unhealthyMinutes: number | '';
  reportHour: number | '';
  zone: string;
};

const formOf = (r: AlertRulesForm_RulesFragment): Form => ({
  leadDays: formatLevels(r.licenseLeadDays),
  thresholds: formatLevels(r.capacityThresholds),
  unhealthyMinutes: r.unhealthyMinutes,
  reportHour: r.reportHour,
  zone: r.reportTimeZone,
});

/** When alerts fire: license lead times, capacity thresholds, how long a tenant may be unhealthy, the report's hour. */
export function AlertRulesForm() {
  const [result] = useQuery({ query: AlertRulesForm_Query });
  if (result.error) return <Problem message={describeError(result.error)} />;
  if (!result.data) {
    return (
      <Text c="dimmed" role="status">
        Loading…
      </Text>
    );
  }
  return <RulesForm initial={result.data.alertSettings} />;
}

function RulesForm({ initial }: { initial: AlertRulesForm_RulesFragment }) {
  const [form, setForm] = useState<Form>(() => formOf(initial));
  useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(formOf(initial)));
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<Field> | null>(null);
  const [saving, save] = useMutation(AlertRulesForm_Update);
  const mayUpdate = useCan('settings.update');
  const leadDays = parseLevels(form.leadDays);
  const thresholds = parseLevels(form.thresholds);
  const change = <K extends keyof Form>(field: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setSaved(false);
    setProblem(null);
  };
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!leadDays || !thresholds) return;
    const result = await save({
      input: {
        licenseLeadDays: leadDays,
        capacityThresholds: thresholds,
        unhealthyMinutes: form.unhealthyMinutes === '' ? 0 : form.unhealthyMinutes,
        reportHour: form.reportHour === '' ? -1 : form.reportHour,
        reportTimeZone: form.zone.trim(),
      },
    });
    const payload = result.data?.updateAlertSettings;
    if (payload?.__typename === 'MutationUpdateAlertSettingsSuccess') {
      setForm(formOf(payload.data));
      setSaved(true);
      return;
    }
    setProblem(
      mutationProblem(payload, result.error, FIELDS) ?? {
        message: 'The API sent no answer.',
        code: null,
        fields: {},
        other: [],
      },
    );
  }
  const error = (field: Field) => {
    const issue = problem?.fields[field];
    return issue ? sentence(issue) : undefined;
  };
  return (
    <form onSubmit={submit} noValidate aria-busy={saving.fetching} data-testid="alert-rules">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput
            label="License lead times (days)"
            description="One alert as each is reached."
            value={form.leadDays}
            onChange={(e) => change('leadDays', e.currentTarget.value)}
            error={leadDays ? error('licenseLeadDays') : 'whole numbers, separated by commas'}
            disabled={!mayUpdate}
          />
          <TextInput
            label="Capacity thresholds (%)"
            description="Of a tenant's cap and of the license."
            value={form.thresholds}
            onChange={(e) => change('thresholds', e.currentTarget.value)}
            error={thresholds ? error('capacityThresholds') : 'whole numbers, separated by commas'}
            disabled={!mayUpdate}
          />
        </Group>
        <Group grow align="flex-start">
          <NumberInput
            label="Unhealthy for (minutes)"
            description="Before an unreachable or degraded tenant is alerted on."
            value={form.unhealthyMinutes}
            onChange={(v) => change('unhealthyMinutes', typeof v === 'number' ? v : '')}
            min={1}
            error={error('unhealthyMinutes')}
            disabled={!mayUpdate}
          />
          <NumberInput
            label="Daily report hour"
            description="0–23, local time."
            value={form.reportHour}
            onChange={(v) => change('reportHour', typeof v === 'number' ? v : '')}
            min={0}
            max={23}
            error={error('reportHour')}
            disabled={!mayUpdate}
          />
          <TextInput
            label="Time zone"
            description="IANA name, e.g. Europe/Berlin."
            value={form.zone}
            onChange={(e) => change('zone', e.currentTarget.value)}
            error={error('reportTimeZone')}
            disabled={!mayUpdate}
          />
        </Group>
        {problem && <Problem title="Not saved" message={problem.message} issues={problem.other} />}
        {mayUpdate && (
          <Group justify="flex-end" gap="sm">
            {saved && (
              <Text fz="sm" c="teal" role="status" display="flex" style={{ alignItems: 'center', gap: 4 }}>
                <IconCheck size={16} /> Saved
              </Text>
            )}
            <Button type="submit" loading={saving.fetching} disabled={!leadDays || !thresholds}>
              Save rules
            </Button>
          </Group>
        )}
      </Stack>
    </form>
  );
}

import { Button, Card, Group, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { AlertHistory } from '../alerts/AlertHistory.tsx';
import { useCan } from '../auth/operator.ts';
import { IconCheck } from '../components/icons.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { formatTime } from '../components/time.ts';
import type { SettingsPage_AlertSettingsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { useUnsavedChanges } from '../router/leave-guard.ts';
import { AlertRulesForm as AlertRules } from '../settings/AlertRulesForm.tsx';
import {
  ALERT_FORM_FIELDS,
  type AlertForm,
  type AlertFormField,
  checkAlertEmail,
  formFromSettings,
  inputFromForm,
} from '../settings/alert-form.ts';
import { SmtpSettingsCard } from '../settings/SmtpSettingsCard.tsx';

graphql(`
  fragment SettingsPage_AlertSettings on AlertSettings {
    licenseExpiring
    capacityWarnings
    dailyReports
    alertEmail
    updatedAt
    updatedBy
  }
`);

const SettingsPage_Alerts = graphql(`
  query SettingsPage_Alerts {
    alertSettings {
      ...SettingsPage_AlertSettings
    }
  }
`);

const SettingsPage_UpdateAlerts = graphql(`
  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {
    updateAlertSettings(input: $input) {
      __typename
      ... on MutationUpdateAlertSettingsSuccess {
        data {
          ...SettingsPage_AlertSettings
        }
      }
      ...MutationProblem_Error
    }
  }
`);

export function SettingsPage() {
  const [result] = useQuery({ query: SettingsPage_Alerts });
  const settings = result.data?.alertSettings;
  return (
    <>
      <PageHeader title="Settings" description="Deployment-wide settings that apply to every tenant." />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card>
          <Title order={2} fz="md">
            Alerts
          </Title>
          <Text fz="sm" c="dimmed" mb="md">
            Which operational events raise an alert, and where alerts are mailed.
          </Text>
          {settings ? (
            <AlertSettingsForm initial={settings} />
          ) : result.error ? (
            <Problem message={describeError(result.error)} />
          ) : (
            <Text c="dimmed" role="status">
              Loading…
            </Text>
          )}
        </Card>
        <Card>
          <Title order={2} fz="md">
            SMTP relay
          </Title>
          <Text fz="sm" c="dimmed" mb="md">
            The relay every tenant sends password resets and notifications through; alerts and reports too.
          </Text>
          <SmtpSettingsCard />
        </Card>
        <Card>
          <Title order={2} fz="md">
            Alert rules
          </Title>
          <Text fz="sm" c="dimmed" mb="md">
            When alerts fire, and when the daily report goes out.
          </Text>
          <AlertRules />
        </Card>
        <Card>
          <Title order={2} fz="md">
            Alert history
          </Title>
          <Text fz="sm" c="dimmed" mb="md">
            Each alert is mailed once when it opens and once when it resolves.
          </Text>
          <AlertHistory first={50} />
        </Card>
      </SimpleGrid>
    </>
  );
}

function LastChange({ settings }: { settings: SettingsPage_AlertSettingsFragment }) {
  if (!settings.updatedAt) {
    return (
      <Text fz="xs" c="dimmed">
        Never changed: these are the defaults.
      </Text>
    );
  }
  return (
    <Text fz="xs" c="dimmed">
      Last changed <time dateTime={settings.updatedAt}>{formatTime(settings.updatedAt)}</time>
      {settings.updatedBy ? ` by ${settings.updatedBy}` : ''}.
    </Text>
  );
}

const SWITCHES: readonly { field: Exclude<AlertFormField, 'alertEmail'>; label: string; hint: string }[] = [
  { field: 'licenseExpiring', label: 'License expiring', hint: 'Before the deployment license runs out.' },
  {
    field: 'capacityWarnings',
    label: 'Capacity warnings',
    hint: 'When the deployment nears a capacity limit.',
  },
  { field: 'dailyReports', label: 'Daily reports', hint: 'A summary of the day, once a day.' },
];

/**
 * The alert rules. It keeps what the operator typed until they save; the saved values then come
 * back from the API, so the form shows what is stored rather than what was sent.
 */
function AlertSettingsForm({ initial }: { initial: SettingsPage_AlertSettingsFragment }) {
  const [form, setForm] = useState<AlertForm>(() => formFromSettings(initial));
  useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(formFromSettings(initial)));
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<AlertFormField> | null>(null);
  const [saving, save] = useMutation(SettingsPage_UpdateAlerts);
  const mayUpdate = useCan('settings.update');
  const emailProblem = checkAlertEmail(form.alertEmail);

  function change<K extends AlertFormField>(field: K, value: AlertForm[K]) {
    setForm((current) => ({ ...current, [field]: value }));
    setSaved(false);
    setProblem(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (emailProblem) return;
    const result = await save({ input: inputFromForm(form) });
    const payload = result.data?.updateAlertSettings;
    if (payload?.__typename === 'MutationUpdateAlertSettingsSuccess') {
      setForm(formFromSettings(payload.data));
      setSaved(true);
      return;
    }
    setProblem(
      mutationProblem(payload, result.error, ALERT_FORM_FIELDS) ?? {
        message: 'The API sent no answer.',
        code: null,
        fields: {},
        other: [],
      },
    );
  }

  const fieldError = (field: AlertFormField) => problem?.fields[field];
  const emailError = fieldError('alertEmail') ?? (form.alertEmail.trim() ? emailProblem : null);

  return (
    <form onSubmit={submit} noValidate aria-busy={saving.fetching} data-testid="alert-settings">
      <Stack gap="md">
        <Stack gap="sm" role="group" aria-label="Raise an alert for">
          {SWITCHES.map(({ field, label, hint }) => (
            <Switch
              key={field}
              label={label}
              description={hint}
              checked={form[field]}
              onChange={(event) => change(field, event.currentTarget.checked)}
              error={fieldError(field)}
              disabled={!mayUpdate}
            />
          ))}
        </Stack>
        <TextInput
          label="Alert email"
          description="Where alerts are mailed. Leave empty to mail nobody."
          type="email"
          value={form.alertEmail}
          onChange={(event) => change('alertEmail', event.currentTarget.value)}
          autoComplete="email"
          error={emailError ? sentence(emailError) : undefined}
          placeholder="ops@example.com"
          maw={420}
          disabled={!mayUpdate}
        />
        {problem && <Problem title="Not saved" message={problem.message} issues={problem.other} />}
        <Group justify="space-between" align="center">
          <LastChange settings={initial} />
          {mayUpdate && (
            <Group gap="sm">
              {saved && (
                <Text fz="sm" c="teal" role="status" display="flex" style={{ alignItems: 'center', gap: 4 }}>
                  <IconCheck size={16} /> Saved
                </Text>
              )}
              <Button type="submit" loading={saving.fetching} disabled={Boolean(emailProblem)}>
                Save
              </Button>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}

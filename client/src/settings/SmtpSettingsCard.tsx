import {
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useCan } from '../auth/operator.ts';
import { IconCheck } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import type { SmtpSettingsCard_SettingsFragment, SmtpTls } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { useUnsavedChanges } from '../router/leave-guard.ts';

graphql(`
  fragment SmtpSettingsCard_Settings on SmtpSettings {
    configured
    host
    port
    username
    passwordSet
    from
    tls
    updatedAt
    updatedBy
    sync {
      total
      pending
      synced
      failed
    }
  }
`);

const SmtpSettingsCard_Query = graphql(`
  query SmtpSettingsCard_Query {
    smtpSettings {
      ...SmtpSettingsCard_Settings
    }
  }
`);

const SmtpSettingsCard_Update = graphql(`
  mutation SmtpSettingsCard_Update($input: SmtpSettingsInput!) {
    updateSmtpSettings(input: $input) {
      __typename
      ... on MutationUpdateSmtpSettingsSuccess {
        data {
          ...SmtpSettingsCard_Settings
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const SmtpSettingsCard_Clear = graphql(`
  mutation SmtpSettingsCard_Clear {
    clearSmtpSettings {
      __typename
      ... on MutationClearSmtpSettingsSuccess {
        data {
          ...SmtpSettingsCard_Settings
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const SmtpSettingsCard_Test = graphql(`
  mutation SmtpSettingsCard_Test($to: String!) {
    sendSmtpTestEmail(to: $to) {
      __typename
      ... on MutationSendSmtpTestEmailSuccess {
        data {
          to
          via
          response
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const FIELDS = ['host', 'port', 'username', 'password', 'from', 'tls'] as const;
type Field = (typeof FIELDS)[number];
type Form = {
  host: string;
  port: number | '';
  username: string;
  password: string;
  from: string;
  tls: SmtpTls;
};

const TLS_OPTIONS = [
  { value: 'STARTTLS', label: 'STARTTLS (port 587)' },
  { value: 'TLS', label: 'TLS from the start (port 465)' },
  { value: 'NONE', label: 'None (trusted network only)' },
];

function formOf(s: SmtpSettingsCard_SettingsFragment): Form {
  return {
    host: s.host ?? '',
    port: s.port ?? 587,
    username: s.username ?? '',
    password: '',
    from: s.from ?? '',
    tls: s.tls ?? ('STARTTLS' as SmtpTls),
  };
}

/** The relay every tenant sends through: its settings (the password write-only), its fan-out and a test e-mail. */
export function SmtpSettingsCard() {
  const [result] = useQuery({ query: SmtpSettingsCard_Query });
  const settings = result.data?.smtpSettings;
  if (result.error) return <Problem message={describeError(result.error)} />;
  if (!settings) {
    return (
      <Text c="dimmed" role="status">
        Loading…
      </Text>
    );
  }
  return (
    <Stack gap="lg">
      <SmtpForm initial={settings} />
      <TestEmail configured={settings.configured} />
    </Stack>
  );
}

function SmtpForm({ initial }: { initial: SmtpSettingsCard_SettingsFragment }) {
  const [form, setForm] = useState<Form>(() => formOf(initial));
  useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(formOf(initial)));
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<Field> | null>(null);
  const [saving, save] = useMutation(SmtpSettingsCard_Update);
  const mayUpdate = useCan('settings.update');
  const change = <K extends Field>(field: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setSaved(false);
    setProblem(null);
  };
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await save({
      input: {
        host: form.host.trim(),
        port: form.port === '' ? 0 : form.port,
        username: form.username.trim() || null,
        ...(form.password ? { password: form.password } : {}),
        from: form.from.trim(),
        tls: form.tls,
      },
    });
    const payload = result.data?.updateSmtpSettings;
    if (payload?.__typename === 'MutationUpdateSmtpSettingsSuccess') {
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
  const sync = initial.sync;
  return (
    <form onSubmit={submit} noValidate aria-busy={saving.fetching} data-testid="smtp-settings">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput
            label="Host"
            value={form.host}
            onChange={(e) => change('host', e.currentTarget.value)}
            placeholder="smtp.example.com"
            error={error('host')}
            disabled={!mayUpdate}
          />
          <NumberInput
            label="Port"
            value={form.port}
            onChange={(v) => change('port', typeof v === 'number' ? v : '')}
            min={1}
            max={65535}
            error={error('port')}
            disabled={!mayUpdate}
            maw={120}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label="User name"
            value={form.username}
            onChange={(e) => change('username', e.currentTarget.value)}
            error={error('username')}
            autoComplete="off"
            disabled={!mayUpdate}
          />
          <PasswordInput
            label="Password"
            description={initial.passwordSet ? 'Stored. Leave empty to keep it.' : 'Not set.'}
            value={form.password}
            onChange={(e) => change('password', e.currentTarget.value)}
            error={error('password')}
            autoComplete="new-password"
            disabled={!mayUpdate}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label="From"
            value={form.from}
            onChange={(e) => change('from', e.currentTarget.value)}
            placeholder="noreply@example.com"
            error={error('from')}
            disabled={!mayUpdate}
          />
          <Select
            label="TLS"
            data={TLS_OPTIONS}
            value={form.tls}
            onChange={(v) => v && change('tls', v as SmtpTls)}
            error={error('tls')}
            allowDeselect={false}
            disabled={!mayUpdate}
          />
        </Group>
        {problem && <Problem title="Not saved" message={problem.message} issues={problem.other} />}
        <Group justify="space-between">
          <Text fz="xs" c="dimmed">
            {initial.configured
              ? `Tenants: ${sync.synced} of ${sync.total} hold it${sync.pending ? `, ${sync.pending} pending` : ''}${sync.failed ? `, ${sync.failed} failing (retried)` : ''}.`
              : 'Not configured: mail goes to the built-in catcher (Mail page) where it runs.'}
          </Text>
          {mayUpdate && (
            <Group gap="sm">
              {saved && (
                <Text fz="sm" c="teal" role="status" display="flex" style={{ alignItems: 'center', gap: 4 }}>
                  <IconCheck size={16} /> Saved
                </Text>
              )}
              {initial.configured && <ClearRelay onCleared={(s) => setForm(formOf(s))} />}
              <Button type="submit" loading={saving.fetching}>
                Save relay
              </Button>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/** Removes the relay after asking: tenants are told they have none. */
function ClearRelay({ onCleared }: { onCleared: (s: SmtpSettingsCard_SettingsFragment) => void }) {
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [clearing, clear] = useMutation(SmtpSettingsCard_Clear);
  async function confirm() {
    const result = await clear({});
    const payload = result.data?.clearSmtpSettings;
    if (payload?.__typename === 'MutationClearSmtpSettingsSuccess') {
      onCleared(payload.data);
      setOpen(false);
      return;
    }
    setProblem(mutationProblem(payload, result.error, [] as const)?.message ?? 'The API sent no answer.');
  }
  return (
    <>
      <Button variant="subtle" color="red" onClick={() => setOpen(true)}>
        Remove relay
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Remove the SMTP relay?">
        <Stack>
          <Text fz="sm">
            Every tenant is told it has no relay and stops sending password-reset and notification e-mails.
            The stored password is deleted.
          </Text>
          {problem && <Problem message={problem} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button color="red" loading={clearing.fetching} onClick={confirm}>
              Remove relay
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function TestEmail({ configured }: { configured: boolean }) {
  const [to, setTo] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [sending, send] = useMutation(SmtpSettingsCard_Test);
  const mayUpdate = useCan('settings.update');
  if (!mayUpdate) return null;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setOutcome(null);
    const result = await send({ to: to.trim() });
    const payload = result.data?.sendSmtpTestEmail;
    if (payload?.__typename === 'MutationSendSmtpTestEmailSuccess') {
      setOutcome({
        ok: true,
        text: `Sent to ${payload.data.to} via ${payload.data.via}: ${payload.data.response}`,
      });
      return;
    }
    const problem = mutationProblem(payload, result.error, ['to'] as const);
    setOutcome({
      ok: false,
      text: problem ? `${problem.code ?? 'Error'}: ${problem.message}` : 'No answer.',
    });
  }
  return (
    <form onSubmit={submit} noValidate data-testid="smtp-test">
      <Group align="flex-end">
        <TextInput
          label="Send a test e-mail"
          description={configured ? 'Through the relay above.' : 'To the built-in mail catcher.'}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          placeholder="ops@example.com"
          type="email"
          style={{ flex: 1 }}
        />
        <Button type="submit" variant="light" loading={sending.fetching} disabled={!to.trim()}>
          Send test
        </Button>
      </Group>
      {outcome && (
        <Group gap="xs" mt="xs" role="status">
          <Badge color={outcome.ok ? 'teal' : 'red'} variant="light">
            {outcome.ok ? 'sent' : 'failed'}
          </Badge>
          <Text fz="sm">{outcome.text}</Text>
        </Group>
      )}
    </form>
  );
}

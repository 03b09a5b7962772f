import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { SLUG_MAX } from '../../../server/domain/tenants/slug-rules.ts';
import { focusOnMount } from '../components/focus.ts';
import { IconCheck } from '../components/icons.tsx';
import { OperationSteps } from '../components/OperationSteps.tsx';
import { Problem } from '../components/Problem.tsx';
import type { OperationSteps_OperationFragment, TenantRow_TenantFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { Link } from '../router/Link.tsx';
import { tenantPath } from '../router/routes.ts';
import {
  createTenantInput,
  NEW_TENANT_FIELDS,
  type NewTenantField,
  type NewTenantForm,
  validateNewTenant,
  visibleErrors,
} from './new-tenant-form.ts';
import { newestOperation } from './operations.ts';
import { slugFromName } from './slug.ts';

const NewTenant_Create = graphql(`
  mutation NewTenant_Create($input: CreateTenantInput!) {
    createTenant(input: $input) {
      __typename
      ... on MutationCreateTenantSuccess {
        data {
          ...TenantRow_Tenant
          operation {
            ...OperationSteps_Operation
          }
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const NewTenant_Progress = graphql(`
  query NewTenant_Progress($slug: String!) {
    tenant(slug: $slug) {
      id
      state
      operation {
        ...OperationSteps_Operation
      }
    }
  }
`);

const NewTenant_Operation = graphql(`
  subscription NewTenant_Operation($slug: String!) {
    tenantOperation(slug: $slug) {
      ...OperationSteps_Operation
    }
  }
`);

const EMPTY: NewTenantForm = { name: '', slug: '', adminEmail: '' };
/** While a step is running, re-read the operation this often in case a live event was missed. */
const FALLBACK_POLL_MS = 2000;

type NewTenantModalProps = {
  opened: boolean;
  onClose: () => void;
  /** A tenant was created: lists add it at once, before its live update arrives. */
  onCreated: (tenant: TenantRow_TenantFragment) => void;
};

/** "New tenant": a form that checks the slug as it is typed, then the provisioning steps, live. */
export function NewTenantModal({ opened, onClose, onCreated }: NewTenantModalProps) {
  const [created, setCreated] = useState<string | null>(null);
  // A fresh form each time the dialog opens after a tenant was created.
  const [round, setRound] = useState(0);
  // The slug whose operations are followed: set just before the mutation is sent, so no step is
  // missed, and kept while the progress shows.
  const [watching, setWatching] = useState<string | null>(null);
  const [live] = useSubscription({
    query: NewTenant_Operation,
    variables: { slug: watching ?? '' },
    pause: !watching,
  });
  const reset = () => {
    setCreated(null);
    setWatching(null);
    setRound((r) => r + 1);
  };
  const close = () => {
    onClose();
    if (created) reset();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{created ? `Provisioning ${created}` : 'New tenant'}</Text>}
      size="lg"
    >
      {created ? (
        <Progress
          slug={created}
          liveOperation={live.data?.tenantOperation ?? null}
          onAnother={reset}
          onClose={close}
        />
      ) : (
        <NewTenantFormView
          key={round}
          onCancel={close}
          onWatch={setWatching}
          onCreated={(tenant) => {
            onCreated(tenant);
            setCreated(tenant.slug);
          }}
        />
      )}
    </Modal>
  );
}

type FormViewProps = {
  onCancel: () => void;
  /** Follow this slug's operations (null: stop). */
  onWatch: (slug: string | null) => void;
  onCreated: (tenant: TenantRow_TenantFragment) => void;
};

function NewTenantFormView({ onCancel, onWatch, onCreated }: FormViewProps) {
  const [form, setForm] = useState<NewTenantForm>(EMPTY);
  const [slugEdited, setSlugEdited] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<NewTenantField>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [problem, setProblem] = useState<MutationProblem<NewTenantField> | null>(null);
  const [creating, create] = useMutation(NewTenant_Create);
  const refs = {
    name: useRef<HTMLInputElement>(null),
    slug: useRef<HTMLInputElement>(null),
    adminEmail: useRef<HTMLInputElement>(null),
  };

  const errors = validateNewTenant(form);
  const shown = visibleErrors(errors, touched, submitted);

  function change(field: NewTenantField, value: string) {
    setForm((current) => {
      const next = { ...current, [field]: value };
      if (field === 'name' && !slugEdited) next.slug = slugFromName(value);
      return next;
    });
    if (field === 'slug') setSlugEdited(value !== '');
    setTouched((current) => new Set(current).add(field));
    if (problem) setProblem(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    const first = NEW_TENANT_FIELDS.find((field) => errors[field]);
    if (first) {
      refs[first].current?.focus();
      return;
    }
    const input = createTenantInput(form);
    onWatch(input.slug);
    const result = await create({ input });
    const payload = result.data?.createTenant;
    if (payload?.__typename === 'MutationCreateTenantSuccess') {
      onCreated(payload.data);
      return;
    }
    onWatch(null);
    setProblem(
      mutationProblem(payload, result.error, NEW_TENANT_FIELDS) ?? {
        message: 'The API sent no answer.',
        code: null,
        fields: {},
        other: [],
      },
    );
  }

  const fieldError = (field: NewTenantField) => {
    const message = problem?.fields[field] ?? shown[field];
    return message ? sentence(message) : undefined;
  };
  // A slug conflict is about the slug field even though the API sends it as a ConflictError.
  const slugConflict = problem?.code === 'TENANT_EXISTS' ? problem.message : undefined;
  // The names it will make, shown only for a slug that is valid: an invalid one names nothing.
  const slug = form.slug && !errors.slug ? form.slug : '<slug>';

  return (
    <form onSubmit={submit} noValidate aria-busy={creating.fetching} data-testid="new-tenant-form">
      <Stack gap="md">
        <TextInput
          ref={refs.name}
          label="Name"
          description="Shown to operators; the tenant's users see their own branding."
          placeholder="Acme Corporation"
          required
          value={form.name}
          onChange={(event) => change('name', event.currentTarget.value)}
          onBlur={() => setTouched((current) => new Set(current).add('name'))}
          error={fieldError('name')}
          data-autofocus
          name="name"
          autoComplete="off"
        />
        <TextInput
          ref={refs.slug}
          label="Slug"
          description={
            <>
              {`3–${SLUG_MAX} lowercase letters, digits and hyphens. Names the database `}
              <Code fz="xs">tenant_{slug}</Code> and the Secret <Code fz="xs">tenant-{slug}</Code>; it cannot
              be changed later.
            </>
          }
          placeholder="acme"
          required
          value={form.slug}
          onChange={(event) => change('slug', event.currentTarget.value)}
          onBlur={() => setTouched((current) => new Set(current).add('slug'))}
          error={slugConflict ?? fieldError('slug')}
          name="slug"
          autoComplete="off"
          spellCheck={false}
          classNames={{ input: 'cp-mono' }}
          rightSection={
            !errors.slug && form.slug ? (
              <Text c="teal" span aria-label="Valid slug" display="flex">
                <IconCheck size={16} />
              </Text>
            ) : undefined
          }
        />
        <TextInput
          ref={refs.adminEmail}
          label="Admin email"
          description="Optional. The first administrator of the tenant."
          placeholder="admin@acme.example"
          type="email"
          value={form.adminEmail}
          onChange={(event) => change('adminEmail', event.currentTarget.value)}
          onBlur={() => setTouched((current) => new Set(current).add('adminEmail'))}
          error={fieldError('adminEmail')}
          name="adminEmail"
          autoComplete="off"
        />
        {problem && !slugConflict && (
          <Problem title="The tenant was not created" message={problem.message} issues={problem.other} />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={creating.fetching}>
            Create tenant
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type ProgressProps = {
  slug: string;
  liveOperation: OperationSteps_OperationFragment | null;
  onAnother: () => void;
  onClose: () => void;
};

function Progress({ slug, liveOperation, onAnother, onClose }: ProgressProps) {
  const [result, reexecute] = useQuery({ query: NewTenant_Progress, variables: { slug } });
  const operation = newestOperation(result.data?.tenant?.operation, liveOperation);
  const running = !operation || operation.state === 'RUNNING';

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [running, reexecute]);

  return (
    <Stack gap="lg">
      {operation ? (
        <OperationSteps operation={operation} />
      ) : result.error ? (
        <Problem message={describeError(result.error)} />
      ) : (
        <Text c="dimmed">Starting…</Text>
      )}
      {operation?.state === 'SUCCEEDED' && (
        <Alert color="teal" icon={<IconCheck />} title={`${slug} is ready`}>
          Its database, Secret and registry entry exist, and its backend has the initial admin password.
        </Alert>
      )}
      <Group justify="space-between">
        <Text fz="sm" c="dimmed">
          {running ? 'You can close this dialog; provisioning carries on.' : ''}
        </Text>
        <Group gap="sm">
          <Button variant="default" onClick={onAnother}>
            Create another
          </Button>
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button component={Link} to={tenantPath(slug)} onClick={onClose} ref={focusOnMount}>
            Open tenant
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

import { Alert, Button, Code, Group, Loader, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
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

const NewTenant_SlugAvailability = graphql(`
  query NewTenant_SlugAvailability($slug: String!) {
    slugAvailability(slug: $slug) {
      slug
      status
      reason
    }
  }
`);

const EMPTY: NewTenantForm = { name: '', slug: '', adminEmail: '' };
/** How long typing pauses before the slug is checked with the API. */
const SLUG_CHECK_DEBOUNCE_MS = 300;
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
  const availability = useSlugAvailability(form.slug, !errors.slug);
  const taken =
    availability.answer && availability.answer.status !== 'AVAILABLE' ? availability.answer : null;

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
    const first = NEW_TENANT_FIELDS.find((field) => errors[field] || (field === 'slug' && taken));
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
  const slugConflict =
    problem?.code === 'TENANT_EXISTS' ? problem.message : taken?.reason ? sentence(taken.reason) : undefined;
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
        <div>
          <TextInput
            ref={refs.slug}
            label="Slug"
            description={
              <>
                {`3–${SLUG_MAX} lowercase letters, digits and hyphens. Names the database `}
                <Code fz="xs">tenant_{slug}</Code> and the Secret <Code fz="xs">tenant-{slug}</Code>; it
                cannot be changed later.
              </>
            }
            placeholder="acme"
            required
            value={form.slug}
            onChange={(event) => change('slug', event.currentTarget.value)}
            onBlur={() => setTouched((current) => new Set(current).add('slug'))}
            error={fieldError('slug') ?? slugConflict}
            name="slug"
            autoComplete="off"
            spellCheck={false}
            classNames={{ input: 'cp-mono' }}
            rightSection={
              availability.checking ? (
                <Loader size={14} aria-label="Checking the slug" />
              ) : availability.answer?.status === 'AVAILABLE' ? (
                <Text c="teal" span aria-label="Slug available" display="flex">
                  <IconCheck size={16} />
                </Text>
              ) : undefined
            }
          />
          <Text
            fz="xs"
            mt={4}
            c={availability.answer?.status === 'AVAILABLE' ? 'teal' : 'dimmed'}
            role="status"
            data-testid="slug-availability"
            data-availability={
              availability.checking ? 'checking' : (availability.answer?.status.toLowerCase() ?? 'unknown')
            }
          >
            {availability.checking
              ? 'Checking whether the slug is free…'
              : availability.answer?.status === 'AVAILABLE'
                ? `${availability.answer.slug} is available`
                : availability.error
                  ? `Could not check the slug: ${availability.error}`
                  : ''}
          </Text>
        </div>
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

type SlugCheck = {
  /** The API's answer for the slug as typed now; null while none is (or when it is not checked). */
  answer: { slug: string; status: string; reason?: string | null } | null;
  /** Typing has paused, or the question is on its way: an answer for this slug is coming. */
  checking: boolean;
  error: string | null;
};

/**
 * Asks the API whether `slug` is free once typing pauses, when `valid` (the form's own rules,
 * which are the API's, already say why an invalid one cannot be taken). An answer counts only for
 * the slug it was given for: a newer keystroke makes it stale.
 */
function useSlugAvailability(slug: string, valid: boolean): SlugCheck {
  const [settled] = useDebouncedValue(slug, SLUG_CHECK_DEBOUNCE_MS);
  const ask = valid && settled === slug && slug !== '';
  const [result] = useQuery({
    query: NewTenant_SlugAvailability,
    variables: { slug: settled },
    pause: !ask,
    requestPolicy: 'network-only',
  });
  if (!valid || slug === '') return { answer: null, checking: false, error: null };
  const answer = result.data?.slugAvailability;
  const current = answer && answer.slug === slug && !result.fetching ? answer : null;
  return {
    answer: current,
    checking: !current && !result.error,
    error: result.error && !current ? describeError(result.error) : null,
  };
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

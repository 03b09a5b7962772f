import { Anchor, Button, Card, Group, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { IconCheck, IconPlus } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { graphql } from '../gql/index.ts';
import { sentence } from '../graphql/mutation-errors.ts';
import { Link } from '../router/Link.tsx';
import { poolPath } from '../router/routes.ts';
import { MAX_POOL_LABELS, poolLabelsProblem, poolNameProblem } from './rules.ts';
import { useSettingMutation } from './SettingForm.tsx';

const CreatePoolCard_Create = graphql(`
  mutation CreatePoolCard_Create($input: CreateAgentPoolInput!) {
    createAgentPool(input: $input) {
      __typename
      ... on MutationCreateAgentPoolSuccess {
        data {
          ...PoolsTable_Pool
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const FIELDS = ['name', 'labels'] as const;

/** A new agent pool: its name checked as it is typed (a DNS-1123 label), and what it is for. */
export function CreatePoolCard() {
  const [name, setName] = useState('');
  const [labels, setLabels] = useState<string[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const save = useSettingMutation(CreatePoolCard_Create, (d) => d.createAgentPool, FIELDS);
  const nameProblem = poolNameProblem(name);
  const labelsProblem = poolLabelsProblem(labels);
  // An empty name is only wrong once the operator tried to send it.
  const nameError = save.problem?.fields.name ?? (name !== '' || submitted ? nameProblem : null);
  const labelsError = save.problem?.fields.labels ?? labelsProblem;

  function edit() {
    save.clear();
    setCreated(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (nameProblem || labelsProblem) return;
    const problem = await save.run({ input: { name, labels } });
    if (problem) return;
    setCreated(name);
    setName('');
    setLabels([]);
    setSubmitted(false);
  }

  const onField = Boolean(save.problem?.fields.name || save.problem?.fields.labels);
  return (
    <Card>
      <Title order={2} fz="md">
        New pool
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        Agents join a pool by carrying its name as their justiam.io/pool label.
      </Text>
      <form onSubmit={submit} noValidate aria-busy={save.running} data-testid="create-pool-form">
        <Stack gap="sm">
          <TextInput
            label="Name"
            description="Lower-case letters, digits and -, up to 63"
            placeholder="gpu-eu"
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              edit();
            }}
            error={nameError ? sentence(nameError) : undefined}
            spellCheck={false}
            autoComplete="off"
            classNames={{ input: 'cp-mono' }}
          />
          <TagsInput
            label="Labels"
            description={`What it is for, e.g. gpu; up to ${MAX_POOL_LABELS}. Enter or a comma adds one.`}
            placeholder="gpu, compute"
            value={labels}
            onChange={(value) => {
              setLabels(value);
              edit();
            }}
            splitChars={[',', ' ']}
            error={labelsError ? sentence(labelsError) : undefined}
          />
          {save.problem && !onField && (
            <Problem
              title="The pool was not created"
              message={save.problem.message}
              issues={save.problem.other}
            />
          )}
          <Group justify="space-between" gap="sm">
            {created ? (
              <Text
                fz="sm"
                c="teal"
                role="status"
                display="flex"
                style={{ alignItems: 'center', gap: 4 }}
                data-testid="pool-created"
              >
                <IconCheck size={16} /> Pool{' '}
                <Anchor component={Link} to={poolPath(created)} fz="sm" className="cp-mono">
                  {created}
                </Anchor>{' '}
                created.
              </Text>
            ) : (
              <span />
            )}
            <Button
              type="submit"
              leftSection={<IconPlus size={16} />}
              loading={save.running}
              disabled={Boolean(nameError || labelsProblem)}
            >
              Create pool
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

import { Button, Card, FileButton, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { IconCheck, IconLicense, IconUpload } from '../components/icons.tsx';
import { Problem } from '../components/Problem.tsx';
import { graphql } from '../gql/index.ts';
import { type MutationProblem, mutationProblem, sentence } from '../graphql/mutation-errors.ts';
import { NO_ANSWER } from '../tenants/detail/use-reveal.ts';
import { checkLicenseFile, normalizeLicenseToken } from './inputs.ts';
import type { LinesPage } from './lines-page.ts';

const ActivateLicenseCard_Activate = graphql(`
  mutation ActivateLicenseCard_Activate($license: String!, $first: Int!, $after: String) {
    activateLicense(license: $license) {
      __typename
      ... on MutationActivateLicenseSuccess {
        data {
          ...LicensePage_License
        }
      }
      ...MutationProblem_Error
    }
  }
`);

const FIELDS = ['license'] as const;
type Field = (typeof FIELDS)[number];

type ActivateLicenseCardProps = {
  /** Whether a license is in force: activating then replaces it. */
  replaces: boolean;
  page: LinesPage;
};

/**
 * Activates a license pasted as its token or read from a file (in the browser: the file goes no
 * further than the field). The API verifies it; a refused license changes nothing.
 */
export function ActivateLicenseCard({ replaces, page }: ActivateLicenseCardProps) {
  const [token, setToken] = useState('');
  const [source, setSource] = useState<string | null>(null);
  const [problem, setProblem] = useState<MutationProblem<Field> | null>(null);
  const [activated, setActivated] = useState<string | null>(null);
  const [activating, activate] = useMutation(ActivateLicenseCard_Activate);
  const license = normalizeLicenseToken(token);

  function edit(text: string, from: string | null) {
    setToken(text);
    setSource(from);
    setProblem(null);
    setActivated(null);
  }

  async function readFile(file: File | null) {
    if (!file) return;
    const refused = checkLicenseFile(file);
    if (refused) {
      edit('', null);
      setProblem({ message: `${sentence(refused)}.`, code: null, fields: {}, other: [] });
      return;
    }
    edit(normalizeLicenseToken(await file.text()), file.name);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!license) return;
    const result = await activate({ license, ...page });
    const payload = result.data?.activateLicense;
    if (payload?.__typename === 'MutationActivateLicenseSuccess') {
      const { licenseId, licensee } = payload.data;
      edit('', null);
      setActivated(`License ${licenseId ?? ''} for ${licensee ?? 'its licensee'} is in force.`);
      return;
    }
    setProblem(mutationProblem(payload, result.error, FIELDS) ?? NO_ANSWER);
  }

  const fieldError = problem?.fields.license;
  return (
    <Card>
      <Title order={2} fz="md">
        {replaces ? 'Replace the license' : 'Activate a license'}
      </Title>
      <Text fz="sm" c="dimmed" mb="md">
        Paste the license token, or read it from the license file. It is checked against the trusted keys
        before anything changes
        {replaces ? '; the license in force stays if this one is refused' : ''}.
      </Text>
      <form onSubmit={submit} noValidate aria-busy={activating.fetching} data-testid="activate-license-form">
        <Stack gap="sm">
          <Textarea
            label="License token"
            description={source ? `Read from ${source}` : 'The compact JWS, eyJ…'}
            placeholder="eyJhbGciOiJFZERTQSIs…"
            value={token}
            onChange={(event) => edit(event.currentTarget.value, null)}
            error={fieldError ? sentence(fieldError) : undefined}
            autosize
            minRows={3}
            maxRows={8}
            spellCheck={false}
            autoComplete="off"
            classNames={{ input: 'cp-mono' }}
          />
          {problem && !fieldError && (
            <Problem title="The license was not activated" message={problem.message} issues={problem.other} />
          )}
          <Group gap="sm" justify="space-between">
            <FileButton
              onChange={(file) => void readFile(file)}
              accept=".jwt,.jws,.lic,.license,.txt,text/plain"
            >
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconUpload size={16} />}>
                  Upload license file…
                </Button>
              )}
            </FileButton>
            <Group gap="sm">
              {activated && (
                <Text
                  fz="sm"
                  c="teal"
                  role="status"
                  display="flex"
                  style={{ alignItems: 'center', gap: 4 }}
                  data-testid="license-activated"
                >
                  <IconCheck size={16} /> {activated}
                </Text>
              )}
              <Button
                type="submit"
                leftSection={<IconLicense size={16} />}
                loading={activating.fetching}
                disabled={license === ''}
              >
                {replaces ? 'Replace license' : 'Activate license'}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

import { Accordion, Card, Group, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { PageHeader } from '../components/PageHeader.tsx';
import { Problem } from '../components/Problem.tsx';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';

const MailPage_Caught = graphql(`
  query MailPage_Caught {
    caughtMail(first: 100) {
      id
      receivedAt
      from
      to
      subject
      body
      size
    }
  }
`);

const REFRESH_MS = 5000;

/** What the embedded mail catcher received: test e-mails, alerts and reports while no relay is set. */
export function MailPage() {
  const [result, refetch] = useQuery({ query: MailPage_Caught });
  useEffect(() => {
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refetch]);
  const mail = result.data?.caughtMail;
  return (
    <>
      <PageHeader
        title="Mail"
        description="Messages the built-in mail catcher received. Outside production, while no SMTP relay is configured, test e-mails, alerts and daily reports land here."
      />
      <Card>
        {result.error ? (
          <Problem message={describeError(result.error)} />
        ) : !mail ? (
          <Text c="dimmed" role="status">
            Loading…
          </Text>
        ) : mail.length === 0 ? (
          <Text c="dimmed" fz="sm">
            Nothing caught yet. Send a test e-mail from Settings, or configure a relay there to send real
            mail.
          </Text>
        ) : (
          <Accordion variant="separated" aria-label="Caught mail">
            {mail.map((m) => (
              <Accordion.Item key={m.id} value={m.id}>
                <Accordion.Control>
                  <Group justify="space-between" wrap="nowrap">
                    <div>
                      <Text fz="sm" fw={500}>
                        {m.subject || '(no subject)'}
                      </Text>
                      <Text fz="xs" c="dimmed">
                        from {m.from || '—'} to {m.to.join(', ')}
                      </Text>
                    </div>
                    <Text fz="xs" c="dimmed">
                      <TimeAgo iso={m.receivedAt} />
                    </Text>
                  </Group>
                </Accordion.Control>
                <Accordion.Panel>
                  <Text component="pre" fz="sm" style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                    {m.body}
                  </Text>
                  <Text fz="xs" c="dimmed" mt="xs">
                    {m.size} bytes
                  </Text>
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        )}
      </Card>
    </>
  );
}

import { Alert, List, Text } from '@mantine/core';
import type { FieldIssue } from '../graphql/mutation-errors.ts';
import { IconAlert } from './icons.tsx';

type ProblemProps = {
  title?: string;
  message: string;
  issues?: readonly FieldIssue[];
};

/** An API error shown where the action was taken, in the API's own words. */
export function Problem({ title, message, issues = [] }: ProblemProps) {
  return (
    <Alert color="red" variant="light" icon={<IconAlert />} title={title} role="alert">
      <Text fz="sm">{message}</Text>
      {issues.length > 0 && (
        <List size="sm" mt={4}>
          {issues.map((issue) => (
            <List.Item key={`${issue.path}:${issue.message}`}>
              <code>{issue.path}</code>: {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

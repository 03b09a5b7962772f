import { Card, Skeleton, Stack } from '@mantine/core';

const LINES = ['l1', 'l2', 'l3', 'l4'];

/**
 * Any page while its code arrives (pages are lazy chunks): a title and a card as grey shapes where
 * they will be, instead of a spinner in an empty page.
 */
export function PageSkeleton() {
  return (
    <Stack gap="lg" aria-busy="true" aria-label="Loading the page" data-testid="page-skeleton">
      <Stack gap={8}>
        <Skeleton h={30} w={240} />
        <Skeleton h={14} w={360} maw="100%" />
      </Stack>
      <Card>
        <Skeleton h={16} w="30%" mb="md" />
        {LINES.map((line) => (
          <Skeleton key={line} h={12} mb={10} />
        ))}
      </Card>
    </Stack>
  );
}

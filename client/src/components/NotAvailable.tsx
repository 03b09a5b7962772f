import { Badge, EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

/** A section whose API is not there yet: says what will be here instead of showing nothing. */
export function NotAvailable({
  icon,
  title,
  children,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
}) {
  return (
    <EmptyState
      py={48}
      icon={icon}
      withIndicatorBackground
      title={title}
      description={children}
      data-testid="not-available"
    >
      <EmptyState.Actions>
        <Badge color="gray" variant="outline">
          Not available yet
        </Badge>
      </EmptyState.Actions>
    </EmptyState>
  );
}

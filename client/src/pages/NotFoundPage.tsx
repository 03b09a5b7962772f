import { Button, EmptyState } from '@mantine/core';
import { IconSearch } from '../components/icons.tsx';
import { Link } from '../router/Link.tsx';

export function NotFoundPage({ pathname }: { pathname: string }) {
  return (
    <EmptyState
      py={80}
      icon={<IconSearch size={28} />}
      withIndicatorBackground
      title="Page not found"
      description={
        <>
          There is no page at <code>{pathname}</code>.
        </>
      }
    >
      <EmptyState.Actions>
        <Button component={Link} to="/" variant="light">
          Go to the dashboard
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}

import { Avatar, Badge, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout, IconUser } from '../components/icons.tsx';
import { Link } from '../router/Link.tsx';
import { API_TOKENS_ROUTE } from '../router/routes.ts';
import { signOut } from './login.ts';
import { useOperator } from './operator.ts';

function initials(name: string): string {
  const parts = name.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

/** The operator's corner of the header: who is signed in, their role, API tokens and sign-out. */
export function OperatorMenu() {
  const operator = useOperator();
  const signedIn = operator.kind === 'signed-in';
  // The button is named by what it shows (the name, hidden on small screens) and what it is.
  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton data-testid="operator-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color={signedIn ? 'brand' : 'gray'} aria-hidden>
              {signedIn ? initials(operator.name) : <IconUser size={16} />}
            </Avatar>
            <Text fz="sm" c={signedIn ? undefined : 'dimmed'} visibleFrom="sm">
              {signedIn ? operator.name : operator.kind === 'loading' ? '' : 'Not signed in'}
            </Text>
            {signedIn && operator.role === 'viewer' && (
              <Badge size="sm" color="gray" visibleFrom="sm">
                Viewer
              </Badge>
            )}
            <VisuallyHidden>Operator menu</VisuallyHidden>
            <IconChevronDown size={14} />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        {signedIn ? (
          <Menu.Label>
            {operator.email ?? operator.name} · {operator.role}
          </Menu.Label>
        ) : (
          <Menu.Label>Operator sign-in is not enabled on this control plane.</Menu.Label>
        )}
        <Menu.Item
          component={Link}
          to={API_TOKENS_ROUTE.path}
          leftSection={<IconKey size={16} />}
          disabled={!signedIn}
          data-testid="menu-api-tokens"
        >
          API tokens
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} disabled={!signedIn} onClick={() => void signOut()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

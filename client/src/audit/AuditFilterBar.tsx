import {
  Autocomplete,
  Button,
  Collapse,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { IconFilter } from '../components/icons.tsx';
import { sentence } from '../graphql/mutation-errors.ts';
import { ActorFilter } from './ActorFilter.tsx';
import {
  type AuditFilterForm,
  actionSuggested,
  auditFilterProblems,
  EMPTY_AUDIT_FILTER,
  isFiltered,
  KNOWN_ACTIONS,
} from './filters.ts';
import { describeAction } from './format.ts';

/** The audit filters as typed; applied together, so a half-typed time range never reaches the API. */
export function AuditFilterBar({
  initial,
  onApply,
}: {
  initial: AuditFilterForm;
  onApply: (form: AuditFilterForm) => void;
}) {
  const [form, setForm] = useState(initial);
  // On a phone the fields would fill the first screen: they fold away behind a toggle (folded again
  // after each apply, as the bar starts over), saying how many filters are applied.
  const narrow = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const [unfolded, setUnfolded] = useState(false);
  const applied = Object.values(initial).filter((value) => value.trim() !== '').length;
  const problems = auditFilterProblems(form);
  const set = (field: keyof AuditFilterForm) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (Object.keys(problems).length === 0) onApply(form);
  }

  const error = (field: keyof AuditFilterForm) => (problems[field] ? sentence(problems[field]!) : undefined);
  return (
    <Paper withBorder p="md" mb="md" component="search">
      {narrow && (
        <Group justify="space-between" wrap="nowrap" data-testid="audit-filters-toggle">
          <Text fw={600} fz="sm">
            {applied === 0 ? 'Filters' : `Filters · ${applied} applied`}
          </Text>
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconFilter size={14} />}
            aria-expanded={unfolded}
            aria-controls="audit-filter-form"
            onClick={() => setUnfolded((open) => !open)}
          >
            {unfolded ? 'Hide filters' : 'Show filters'}
          </Button>
        </Group>
      )}
      <Collapse
        expanded={!narrow || unfolded}
        keepMountedMode="display-none"
        transitionDuration={narrow ? 200 : 0}
      >
        <form
          onSubmit={submit}
          data-testid="audit-filters"
          id="audit-filter-form"
          style={narrow ? { paddingTop: 'var(--mantine-spacing-sm)' } : undefined}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
            <Autocomplete
              label="Action"
              placeholder="tenant.*"
              description="Exact, or a prefix ending in *"
              data={[...KNOWN_ACTIONS]}
              filter={({ options, search }) =>
                options.filter((option) => 'value' in option && actionSuggested(option.value, search))
              }
              renderOption={({ option }) =>
                option.value.endsWith('*') ? (
                  <Text fz="sm" className="cp-mono">
                    {option.value}
                  </Text>
                ) : (
                  <Stack gap={0}>
                    <Text fz="sm">{describeAction(option.value)}</Text>
                    <Text fz="xs" c="dimmed" className="cp-mono">
                      {option.value}
                    </Text>
                  </Stack>
                )
              }
              limit={40}
              value={form.action}
              onChange={set('action')}
              error={error('action')}
              name="action"
              classNames={{ input: 'cp-mono' }}
            />
            <TextInput
              label="Tenant"
              placeholder="acme"
              description="Its slug"
              value={form.tenant}
              onChange={(event) => set('tenant')(event.currentTarget.value)}
              name="tenant"
              classNames={{ input: 'cp-mono' }}
              spellCheck={false}
            />
            <ActorFilter value={form.actor} onChange={set('actor')} />
            <TextInput
              label="From"
              type="datetime-local"
              description="Your time zone"
              value={form.from}
              onChange={(event) => set('from')(event.currentTarget.value)}
              error={error('from')}
              name="from"
            />
            <TextInput
              label="To"
              type="datetime-local"
              description="Your time zone"
              value={form.to}
              onChange={(event) => set('to')(event.currentTarget.value)}
              error={error('to')}
              name="to"
            />
          </SimpleGrid>
          <Group justify="flex-end" mt="sm" gap="sm">
            {isFiltered(initial) && (
              <Button variant="subtle" color="gray" onClick={() => onApply(EMPTY_AUDIT_FILTER)}>
                Clear filters
              </Button>
            )}
            <Button type="submit" variant="light" leftSection={<IconFilter size={16} />}>
              Apply
            </Button>
          </Group>
        </form>
      </Collapse>
    </Paper>
  );
}

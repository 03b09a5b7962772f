import { type ComboboxItem, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import type { AuditActorNamesFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeActor } from './names.ts';

graphql(`
  fragment AuditActorNames on AuditActor {
    kind
    id
    label
    name
    email
    tokenName
  }
`);

const ActorFilter_Search = graphql(`
  query ActorFilter_Search($search: String, $first: Int!) {
    auditActors(search: $search, first: $first) {
      ...AuditActorNames
    }
  }
`);

const SUGGESTIONS = 10;

type Option = ComboboxItem & { actor: AuditActorNamesFragment | null };

function optionOf(actor: AuditActorNamesFragment): Option | null {
  if (!actor.id) return null;
  const { primary } = describeActor(actor);
  return { value: actor.id, label: primary, actor };
}

/**
 * Who acted, found by name or e-mail as it is typed (the server's `auditActors`); the filter holds
 * the chosen actor's id, which is what the page URL keeps. An id the server cannot name (an actor
 * of a kind it does not list) is shown as it is.
 */
export function ActorFilter({ value, onChange }: { value: string; onChange: (actorId: string) => void }) {
  const [search, setSearch] = useState('');
  const [opened, setOpened] = useState(false);
  const [debounced] = useDebouncedValue(search, 200);
  // The name of the actor the filter holds: the URL has only the id.
  const [chosen] = useQuery({
    query: ActorFilter_Search,
    variables: { search: value, first: 1 },
    pause: value === '',
  });
  const [found] = useQuery({
    query: ActorFilter_Search,
    variables: { search: debounced.trim(), first: SUGGESTIONS },
    pause: !opened,
  });

  const options = useMemo(() => {
    const list: Option[] = [];
    const add = (option: Option | null) => {
      if (option && !list.some((o) => o.value === option.value)) list.push(option);
    };
    if (value !== '') {
      const named = chosen.data?.auditActors.find((a) => a.id === value);
      add(named ? optionOf(named) : chosen.fetching ? null : { value, label: value, actor: null });
    }
    for (const actor of found.data?.auditActors ?? []) add(optionOf(actor));
    return list;
  }, [value, chosen.data, chosen.fetching, found.data]);

  return (
    <Select
      label="Actor"
      description="Name or e-mail"
      placeholder="Anyone"
      searchable
      clearable
      data={options}
      value={value === '' ? null : value}
      onChange={(next) => onChange(next ?? '')}
      searchValue={search}
      onSearchChange={setSearch}
      // The server has matched already, by words of the name or e-mail: keep what it sent.
      filter={({ options: all }) => all}
      onDropdownOpen={() => setOpened(true)}
      nothingFoundMessage={
        found.fetching || debounced !== search
          ? 'Searching…'
          : found.error
            ? 'Suggestions are unavailable'
            : 'No one by that name has acted'
      }
      renderOption={({ option }) => {
        const actor = (option as Option).actor;
        const secondary = actor ? describeActor(actor).secondary : 'id';
        return (
          <Stack gap={0} data-testid="actor-option">
            <Text fz="sm">{option.label}</Text>
            {secondary && (
              <Text fz="xs" c="dimmed">
                {secondary}
              </Text>
            )}
          </Stack>
        );
      }}
      name="actor"
      spellCheck={false}
      comboboxProps={{ withinPortal: true }}
    />
  );
}

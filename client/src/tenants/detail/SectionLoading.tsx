import { Loader } from '@mantine/core';
import { Problem } from '../../components/Problem.tsx';
import { describeError } from '../../graphql/errors.ts';

type SectionLoadingProps = {
  loaded: boolean;
  error: Parameters<typeof describeError>[0] | null;
};

/** Under a section's facts: a spinner while they load, or why they could not be. */
export function SectionLoading({ loaded, error }: SectionLoadingProps) {
  if (error) return <Problem title="Could not be loaded" message={describeError(error)} />;
  if (!loaded) return <Loader size="sm" />;
  return null;
}

import { describe, expect, it } from 'vitest';
import { parseLevels } from '../../../client/src/settings/alert-rules.ts';

describe('parseLevels (the alert rules form)', () => {
  it('reads whole numbers separated by commas or spaces, and refuses anything else', () => {
    expect(parseLevels('30, 7, 1')).toEqual([30, 7, 1]);
    expect(parseLevels(' 80 100 ')).toEqual([80, 100]);
    expect(parseLevels('')).toBeNull();
    expect(parseLevels('30, seven')).toBeNull();
    expect(parseLevels('7.5')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { healthLine } from '../../../client/src/pages/DashboardPage.tsx';

describe('the dashboard’s health line', () => {
  it('never calls tenants healthy while some are not yet checked', () => {
    expect(healthLine({ alertCount: 0, health: { notYetChecked: 3 } })).toBe('3 not yet checked');
    expect(healthLine({ alertCount: 0, health: { notYetChecked: 0 } })).toBe('All tenants healthy');
    expect(healthLine({ alertCount: 2, health: { notYetChecked: 3 } })).toBe('Need attention');
  });
});

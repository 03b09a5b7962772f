import { describe, expect, it } from 'vitest';
import { localDayAndHour } from '../../../../../server/domain/alerts/report.ts';

describe('localDayAndHour', () => {
  it('reads the day and hour in the report’s time zone, across midnight and daylight saving', () => {
    expect(localDayAndHour(new Date('2027-01-14T08:00:00Z'), 'Europe/Berlin')).toEqual({
      day: '2027-01-14',
      hour: 9,
    });
    expect(localDayAndHour(new Date('2027-07-14T08:00:00Z'), 'Europe/Berlin')).toEqual({
      day: '2027-07-14',
      hour: 10,
    });
    expect(localDayAndHour(new Date('2027-01-14T23:30:00Z'), 'Europe/Berlin')).toEqual({
      day: '2027-01-15',
      hour: 0,
    });
    expect(localDayAndHour(new Date('2027-01-14T03:00:00Z'), 'America/New_York')).toEqual({
      day: '2027-01-13',
      hour: 22,
    });
    expect(localDayAndHour(new Date('2027-01-14T00:00:00Z'), 'UTC')).toEqual({ day: '2027-01-14', hour: 0 });
  });
});

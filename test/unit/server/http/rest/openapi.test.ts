import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../../../server/http/rest/openapi.ts';
import { restRoutes } from '../../../../../server/http/rest/routes.ts';

describe('OpenAPI document', () => {
  const doc = buildOpenApi(restRoutes, '1.2.3');

  it('is OpenAPI 3.1 with one operation per route', () => {
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p));
    expect(operations).toHaveLength(restRoutes.length);
  });

  it('describes the PUT /settings/alerts body in snake_case, as the spec writes it', () => {
    const put = doc.paths['/settings/alerts']?.put as {
      requestBody: { content: Record<string, { schema: { properties: object } }> };
    };
    expect(Object.keys(put.requestBody.content['application/json']!.schema.properties)).toEqual([
      'license_expiring',
      'capacity_warnings',
      'daily_reports',
      'alert_email',
      'license_lead_days',
      'capacity_thresholds',
      'unhealthy_minutes',
      'report_hour',
      'report_time_zone',
    ]);
  });

  it('lists the query parameters of GET /audit', () => {
    const get = doc.paths['/audit']?.get as { parameters: { name: string; in: string }[] };
    expect(get.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['first', 'after', 'action', 'target_kind', 'from', 'to']),
    );
  });
});

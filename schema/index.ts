import './scalars.ts';
import './errors.ts';
import './root.ts';
import './audit.ts';
import './settings.ts';
import './smtp.ts';
import './alerts.ts';
import './tenant.ts';
import './tenant-detail.ts';
import './slug-availability.ts';
import './auth.ts';
import './dashboard.ts';
import './license.ts';
import './workers.ts';
import './infrastructure.ts';
import './worker-upgrades.ts';
import './backups.ts';
import './tombstone.ts';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';

export const schema = builder.toSchema();

/** The SDL as checked in at schema/schema.graphql: sorted so the diff of a change is only that change. */
export function printSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

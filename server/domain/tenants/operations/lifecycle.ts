import { z } from 'zod';
import type { TenantOperationRow, TenantRow } from '../../../db/schema.ts';
import type { Call } from '../../call.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.ts';
import { parseInput } from '../../validate.ts';
import { findLiveTenant, lockLiveTenant, newSteps } from '../repository.ts';
import type { TenantServices } from '../services.ts';
import { slugSchema } from '../slug.ts';
import { crashIfAsked, type OperationRunner } from './runner.ts';
import { startOperation } from './start.ts';
import { CREATE_STEPS, DELETE_STEPS } from './steps.ts';

/** A tenant's display name. */
export const tenantNameSchema = z
  .string({ message: 'is required and must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

/** The email of the tenant's first administrator, optional. */
export const adminEmailSchema = z.email({ message: 'must be an email address' }).max(254).nullish();

const createSchema = z
  .object({ slug: slugSchema, name: tenantNameSchema, adminEmail: adminEmailSchema })
  .strict();

export type CreateTenantInput = z.input<typeof createSchema>;

export type StartedOperation = {
  tenant: TenantRow;
  operation: TenantOperationRow;
  /** Resolves when this process's attempt at the operation ends (it may need retries to finish). */
  attempt: Promise<void>;
};

/** What creating and deleting tenants use: the tenant services and the operation runner. */
export type LifecycleServices = { tenants: TenantServices; runner: OperationRunner };

/**
 * Creates a tenant: validates, records it (state `provisioning`) with its create operation and an
 * audit entry in one transaction, then runs the provisioning steps in the background. A slug that
 * a live tenant already has is refused with TENANT_EXISTS, whoever asked first.
 */
export async function createTenant(
  { tenants: services, runner }: LifecycleServices,
  call: Call,
  input: CreateTenantInput,
): Promise<StartedOperation> {
  const valid = parseInput(createSchema, input, 'tenant');
  const { db, bus } = services;
  let created: { tenant: TenantRow; operation: TenantOperationRow };
  try {
    created = await db.transaction().execute(async (trx) => {
      const tenant = await trx
        .insertInto('tenants')
        .values({
          slug: valid.slug,
          name: valid.name,
          admin_email: valid.adminEmail ?? null,
          state: 'provisioning',
          created_by: call.actor.label,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const steps = newSteps(CREATE_STEPS.map((s) => s.name));
      steps[0] = {
        ...steps[0]!,
        state: 'done',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
      };
      const operation = await startOperation(trx, bus, call, {
        tenant,
        kind: 'create',
        steps,
        step: 'record',
        action: 'tenant.create.requested',
        details: (operationId) => ({ name: tenant.name, operationId }),
        alsoPublish: [
          bus.notification('tenant.updated', { id: tenant.id, slug: tenant.slug, change: 'created' }),
        ],
      });
      return { tenant, operation };
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') {
      throw new ConflictError(`a tenant with slug "${valid.slug}" already exists`, 'TENANT_EXISTS');
    }
    throw error;
  }
  crashIfAsked(services, 'create', 'record');
  return { ...created, attempt: runner.run(created.operation.id, created.tenant.id) };
}

/**
 * Deletes a tenant: irreversible, so `confirm` must repeat the slug. Cancels a create still under
 * way, records the delete operation, then removes registry entry, workloads, database and Secret
 * in the background. The tenant row stays (state `deleted`) for the audit trail. `purgeBackups`
 * is recorded on the request's audit entry: the tenant's backups are then removed with it rather
 * than kept (see server/domain/backups/tombstone.ts).
 */
export async function deleteTenant(
  { tenants: services, runner }: LifecycleServices,
  call: Call,
  slug: string,
  confirm: string,
  options: { purgeBackups?: boolean | null | undefined } = {},
): Promise<StartedOperation> {
  if (typeof confirm !== 'string' || confirm !== slug) {
    throw new ValidationError(`confirmation does not match: type the slug "${slug}" to delete this tenant`, [
      { path: 'confirm', message: `must equal the slug "${slug}"` },
    ]);
  }
  const { db, bus } = services;
  const started = await db.transaction().execute(async (trx) => {
    const tenant = await lockLiveTenant(trx, slug);
    const running = await trx
      .selectFrom('tenant_operations')
      .selectAll()
      .where('tenant_id', '=', tenant.id)
      .where('state', '=', 'running')
      .execute();
    const pendingDelete = running.find((op) => op.kind === 'delete');
    // Deleting twice is not an error: the delete already under way is the answer.
    if (pendingDelete) return { tenant, operation: pendingDelete };
    const cancelled = running.find((op) => op.kind === 'create') ?? null;
    // A create still under way, and worker settings still being applied, end here: neither must
    // write anything for this tenant once its deletion starts.
    const dropped = running.filter((op) => op.kind === 'create' || op.kind === 'workers').map((op) => op.id);
    if (dropped.length > 0) {
      await trx
        .updateTable('tenant_operations')
        .set({ state: 'cancelled', finished_at: new Date(), updated_at: new Date() })
        .where('id', 'in', dropped)
        .execute();
    }
    const updated = await trx
      .updateTable('tenants')
      .set({ state: 'deleting', updated_at: new Date() })
      .where('id', '=', tenant.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const operation = await startOperation(trx, bus, call, {
      tenant,
      kind: 'delete',
      steps: newSteps(DELETE_STEPS.map((s) => s.name)),
      action: 'tenant.delete.requested',
      alsoPublish: [bus.notification('tenant.updated', { id: tenant.id, slug, change: 'state' })],
      details: (operationId) => ({
        operationId,
        cancelledOperationId: cancelled?.id ?? null,
        ...(options.purgeBackups ? { purgeBackups: true } : {}),
      }),
    });
    return { tenant: updated, operation };
  });
  return { ...started, attempt: runner.run(started.operation.id, started.tenant.id) };
}

/** The live tenant under `slug`, or a NotFoundError. */
export async function requireTenant(services: Pick<TenantServices, 'db'>, slug: string): Promise<TenantRow> {
  const tenant = await findLiveTenant(services.db, slug);
  if (!tenant) throw new NotFoundError(`no tenant with slug "${slug}"`, 'TENANT_NOT_FOUND');
  return tenant;
}

import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code.

/**
 * The control plane's database is not open to every role of its server. PostgreSQL lets any role
 * CONNECT to a new database (the PUBLIC grant); the tenants' own login roles usually live on the
 * same server, so any tenant backend could connect here, LISTEN to the event channel and NOTIFY on
 * it. Revoked from PUBLIC when the control plane may (it owns the database or is a superuser); its
 * owner keeps its own grant. Roles that need to connect (monitoring, backups of this database) are
 * granted CONNECT by name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare
      mine boolean;
    begin
      select r.rolsuper or d.datdba = r.oid into mine
        from pg_roles r, pg_database d
       where r.rolname = current_user and d.datname = current_database();
      if mine then
        execute format('revoke connect, temporary on database %I from public', current_database());
      else
        raise warning 'the control plane does not own database % and is no superuser: roles of this server may still connect to it (revoke CONNECT from PUBLIC by hand)', current_database();
      end if;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$ begin
      execute format('grant connect, temporary on database %I to public', current_database());
    end $$`.execute(db);
}

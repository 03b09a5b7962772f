import { type Kysely, sql } from 'kysely';

// Frozen: imports no application code. The channel and event shape are the event bus's
// (server/events/pg-event-target.ts): {"t": topic, "d": payload} on justiam_cp_events.

/**
 * `auth.revoked` from the database itself whenever a credential stops being what a replica may have
 * cached: a session ended, a token revoked, either's expiry, value or owner changed, a row that could
 * still be in use deleted, an operator changed (role, name, email, subject) or deleted, or any of
 * the three tables emptied (`{kind: "all"}`). Sent on commit, to every replica, whether the change
 * came through the API or through SQL. Touching last_seen_at or last_used_at sends nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The row as replicas knew it (OLD): what their cache holds is keyed by it.
  await sql`
    create function notify_auth_revoked() returns trigger language plpgsql as $$
    begin
      perform pg_notify('justiam_cp_events', json_build_object(
        't', 'auth.revoked',
        'd', json_build_object('kind', tg_argv[0], 'id', to_jsonb(old) ->> tg_argv[1])
      )::text);
      return null;
    end
    $$`.execute(db);
  await sql`
    create function notify_auth_truncated() returns trigger language plpgsql as $$
    begin
      perform pg_notify('justiam_cp_events', '{"t":"auth.revoked","d":{"kind":"all","id":""}}');
      return null;
    end
    $$`.execute(db);
  // A deleted session or token is announced only if it could still be in use: an operator deleted
  // with years of ended sessions sends one event, not one per old session.
  const triggers = [
    [
      'sessions',
      'session',
      'id_hash',
      ['ended_at', 'expires_at', 'operator_id', 'id_hash'],
      sql`old.ended_at is null and old.expires_at > now()`,
    ],
    [
      'api_tokens',
      'token',
      'id',
      ['revoked_at', 'expires_at', 'operator_id', 'hash'],
      sql`old.revoked_at is null and old.expires_at > now()`,
    ],
    ['operators', 'operator', 'id', ['role', 'email', 'name', 'subject', 'deleted_at'], sql`true`],
  ] as const;
  for (const [table, kind, key, columns, live] of triggers) {
    const changed = sql.join(
      columns.map((c) => sql`old.${sql.ref(c)} is distinct from new.${sql.ref(c)}`),
      sql` or `,
    );
    await sql`
      create trigger ${sql.ref(`${table}_revoked`)}
        after update of ${sql.join(columns.map((c) => sql.ref(c)))} on ${sql.table(table)}
        for each row when (${changed})
        execute function notify_auth_revoked(${sql.lit(kind)}, ${sql.lit(key)})`.execute(db);
    await sql`
      create trigger ${sql.ref(`${table}_deleted`)} after delete on ${sql.table(table)}
        for each row when (${live}) execute function notify_auth_revoked(${sql.lit(kind)}, ${sql.lit(key)})`.execute(
      db,
    );
    await sql`
      create trigger ${sql.ref(`${table}_truncated`)} after truncate on ${sql.table(table)}
        for each statement execute function notify_auth_truncated()`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sessions', 'api_tokens', 'operators']) {
    await sql`drop trigger ${sql.ref(`${table}_truncated`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger ${sql.ref(`${table}_deleted`)} on ${sql.table(table)}`.execute(db);
    await sql`drop trigger ${sql.ref(`${table}_revoked`)} on ${sql.table(table)}`.execute(db);
  }
  await sql`drop function notify_auth_truncated()`.execute(db);
  await sql`drop function notify_auth_revoked()`.execute(db);
}

import { sql } from 'kysely';
import type { Db, Executor } from '../../db/database.ts';
import type { CaughtMailRow } from '../../db/schema.ts';

/** The catcher keeps this many messages; older ones are dropped as new ones arrive. */
export const CAUGHT_MAIL_KEPT = 200;
/** Longest body kept of one message. */
const MAX_BODY = 64 * 1024;

export type CaughtMessage = { from: string; to: string[]; subject: string; text: string; size: number };

/** Stores one message the embedded catcher received, dropping the oldest beyond {@link CAUGHT_MAIL_KEPT}. */
export async function storeCaughtMail(db: Db, message: CaughtMessage, at: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('caught_mail')
      .values({
        received_at: at,
        mail_from: message.from.slice(0, 320),
        rcpt_to: JSON.stringify(message.to.slice(0, 100)),
        subject: message.subject.slice(0, 998),
        body: message.text.slice(0, MAX_BODY),
        size: message.size,
      })
      .execute();
    await sql`
      delete from caught_mail where id < (
        select id from caught_mail order by id desc offset ${CAUGHT_MAIL_KEPT - 1} limit 1)`.execute(trx);
  });
}

/** The newest caught messages first. */
export async function listCaughtMail(db: Executor, limit: number): Promise<CaughtMailRow[]> {
  return db.selectFrom('caught_mail').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

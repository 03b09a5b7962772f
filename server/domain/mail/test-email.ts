import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { parseInput } from '../validate.ts';
import { type Mailer, type Sent, SmtpError } from './mailer.ts';

const inputSchema = z.object({ to: z.email({ message: 'must be an email address' }).max(254) }).strict();

export type TestEmailResult = Sent & { to: string };

/**
 * Sends a real message through the relay (or the embedded catcher while none is configured) and
 * answers what the server said, or throws the exact failure ({@link SmtpError}); bounded by the
 * mailer's timeout. Audited either way, with the recipient and the outcome.
 */
export async function sendSmtpTestEmail(
  services: { db: Db; bus: EventBus; mailer: Mailer },
  call: Call,
  input: { to: string },
): Promise<TestEmailResult> {
  const { to } = parseInput(inputSchema, input, 'test e-mail');
  let outcome = 'sent';
  try {
    const sent = await services.mailer.send({
      to,
      subject: 'JustIAM control plane: SMTP test',
      text: `This is a test e-mail from the JustIAM control plane, sent by ${call.actor.label}.\n\nIf you can read it, tenants can send password-reset and notification e-mails through this relay.\n`,
    });
    return { ...sent, to };
  } catch (error) {
    outcome = error instanceof SmtpError ? error.code : 'SMTP_FAILED';
    throw error;
  } finally {
    await services.db
      .transaction()
      .execute((trx) =>
        record(
          trx,
          services.bus,
          call,
          'settings.smtp.tested',
          { kind: 'settings', id: 'smtp' },
          { to, outcome },
        ),
      );
  }
}

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../log.ts';

export type CaughtMail = { from: string; to: string[]; subject: string; text: string; size: number };

export type MailCatcher = { host: string; port: number; stop(): Promise<void> };

/** Largest message the catcher takes. */
const MAX_SIZE = 1024 * 1024;

/**
 * The embedded stack's mail catcher: an SMTP server on loopback that takes every message without
 * authentication or TLS and hands it to `onMail` (the control plane stores it for the Mail page),
 * so a newcomer's test e-mail and alerts are visible at once with no relay configured.
 */
export async function startMailCatcher(options: {
  onMail: (mail: CaughtMail) => Promise<void>;
  logger: Logger;
  port?: number;
}): Promise<MailCatcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_SIZE,
    banner: 'JustIAM control plane mail catcher',
    logger: false,
    onData(stream, session, callback) {
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      simpleParser(stream)
        .then(async (parsed) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          await options.onMail({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            size,
          });
          callback(null);
        })
        .catch((error: unknown) => {
          options.logger.warn({ err: error }, 'the mail catcher could not keep a message');
          callback(error as Error);
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => options.logger.warn({ err: error }, 'mail catcher error'));
  const { port } = server.server.address() as AddressInfo;
  options.logger.info(
    { port },
    'no SMTP relay configured: mail goes to the built-in mail catcher (the UI’s Mail page shows it)',
  );
  return {
    host: '127.0.0.1',
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

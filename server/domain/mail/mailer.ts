import nodemailer from 'nodemailer';
import type { ClusterClient } from '../../cluster/client.ts';
import type { Executor } from '../../db/database.ts';
import type { SmtpRelay } from '../../tenant-api/types.ts';
import { DependencyError } from '../errors.ts';
import { loadSmtpRelay } from '../settings/smtp.ts';

export type MailMessage = { to: string; subject: string; text: string };

/** What the relay said when it took a message. */
export type Sent = { from: string; response: string; messageId: string; via: string };

/** Why sending failed, in the words an operator acts on. */
export type SmtpFailureReason =
  | 'authentication_failed'
  | 'connection_refused'
  | 'tls_error'
  | 'timeout'
  | 'rejected'
  | 'not_configured'
  | 'failed';

const CODES: Record<SmtpFailureReason, string> = {
  authentication_failed: 'SMTP_AUTHENTICATION_FAILED',
  connection_refused: 'SMTP_CONNECTION_REFUSED',
  tls_error: 'SMTP_TLS_ERROR',
  timeout: 'SMTP_TIMEOUT',
  rejected: 'SMTP_REJECTED',
  not_configured: 'SMTP_NOT_CONFIGURED',
  failed: 'SMTP_FAILED',
};

/** A send that failed; `code` names the reason (SMTP_AUTHENTICATION_FAILED …), the message what the server said. */
export class SmtpError extends DependencyError {
  constructor(
    readonly reason: SmtpFailureReason,
    message: string,
  ) {
    super(message, CODES[reason]);
  }
}

/** Where mail goes while no relay is configured: the embedded stack's catcher. */
export type MailFallback = { host: string; port: number; from: string };

export type Mailer = {
  /** Sends through the configured relay (or the embedded catcher while none is); throws {@link SmtpError}. */
  send(message: MailMessage): Promise<Sent>;
};

export type MailerOptions = {
  db: Executor;
  cluster: ClusterClient;
  /** Bound of each SMTP step and of the whole send. */
  timeoutMs: number;
  /** Extra CA certificates (PEM) trusted for the relay's TLS. */
  ca?: string;
  fallback?: MailFallback;
};

/** The mailer every alert, report and test e-mail goes through. */
export function createMailer(options: MailerOptions): Mailer {
  return {
    async send(message) {
      const relay = await loadSmtpRelay(options.db, options.cluster);
      if (relay) return sendVia(relay, message, options);
      if (options.fallback) {
        const { host, port, from } = options.fallback;
        return sendVia({ host, port, from, tls: 'none', username: null, password: null }, message, options);
      }
      throw new SmtpError('not_configured', 'no SMTP relay is configured (PUT /settings/smtp)');
    },
  };
}

/**
 * Sends one message through `relay` with nodemailer. Every step (connect, greeting, each command)
 * has `timeoutMs`, and the whole send is cut off after twice that, so a relay that accepts the
 * connection and then says nothing cannot hold the caller.
 */
export async function sendVia(
  relay: SmtpRelay,
  message: MailMessage,
  options: { timeoutMs: number; ca?: string },
): Promise<Sent> {
  const transport = nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: relay.tls === 'tls',
    requireTLS: relay.tls === 'starttls',
    ignoreTLS: relay.tls === 'none',
    auth: relay.username ? { user: relay.username, pass: relay.password ?? '' } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    tls: options.ca ? { ca: options.ca } : undefined,
    logger: false,
    debug: false,
  });
  const via = `${relay.host}:${relay.port}`;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SmtpError('timeout', `${via}: no answer within ${options.timeoutMs * 2} ms`)),
      options.timeoutMs * 2,
    );
  });
  try {
    const info = (await Promise.race([
      transport.sendMail({ from: relay.from, to: message.to, subject: message.subject, text: message.text }),
      deadline,
    ])) as { response?: string; messageId?: string };
    return { from: relay.from, response: info.response ?? '', messageId: info.messageId ?? '', via };
  } catch (error) {
    if (error instanceof SmtpError) throw error;
    throw classify(error, via, relay.password);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

type NodemailerError = Error & { code?: string; response?: string; responseCode?: number; command?: string };

const TLS_WORDS = /tls|ssl|certificate|cert_|self[- ]signed|handshake|wrong version|alert|unable to verify/i;

/** What went wrong, from nodemailer's error: its code, the server's reply, the socket's cause. */
export function classify(error: unknown, via: string, password: string | null): SmtpError {
  const e = error as NodemailerError;
  const said = e.response ? `: ${e.response}` : '';
  const text = `${e.code ?? ''} ${e.message ?? String(error)}`;
  const scrub = (s: string) => (password ? s.split(password).join('***') : s).slice(0, 500);
  let reason: SmtpFailureReason;
  let message: string;
  if (e.code === 'EAUTH') {
    reason = 'authentication_failed';
    message = `${via}: authentication failed${said || `: ${e.message}`}`;
  } else if (/ECONNREFUSED/.test(text)) {
    reason = 'connection_refused';
    message = `${via}: connection refused`;
  } else if (e.code === 'ETIMEDOUT' || /timeout|timed out/i.test(text)) {
    reason = 'timeout';
    message = `${via}: timed out (${e.message})`;
  } else if (e.code === 'ETLS' || TLS_WORDS.test(text)) {
    reason = 'tls_error';
    message = `${via}: TLS error: ${e.message}`;
  } else if (e.responseCode && e.responseCode >= 400) {
    reason = 'rejected';
    message = `${via}: the server refused ${e.command ?? 'the message'}${said}`;
  } else {
    reason = 'failed';
    message = `${via}: ${e.message ?? String(error)}`;
  }
  return new SmtpError(reason, scrub(message));
}

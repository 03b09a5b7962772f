import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string;
  to: string[];
  subject: string;
  text: string;
  user: string | undefined;
};

export type TestSmtpServer = {
  port: number;
  /** The certificate the server presents (self-signed, for localhost and 127.0.0.1). */
  caPem: string;
  /** A file holding `caPem`, for SMTP_CA_FILE. */
  caFile: string;
  received: ReceivedMail[];
  /** Resolves once `n` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
};

/** A self-signed certificate for localhost / 127.0.0.1, made for this run. */
export async function selfSignedCert(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * A real SMTP server for tests (the `smtp-server` package): STARTTLS with a self-signed certificate
 * made here, and authentication (PLAIN/LOGIN) required with the given user and password, refusing
 * anything else with 535 as a relay does. Messages are parsed and kept in order.
 */
export async function startTestSmtpServer(
  options: { user: string; password: string; secure?: boolean } = { user: 'relay', password: 'relay-pass' },
): Promise<TestSmtpServer> {
  const { key, cert } = await selfSignedCert();
  const caFile = join(tmpdir(), `cp-smtp-ca-${process.pid}-${Date.now()}.pem`);
  await writeFile(caFile, cert);
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        callback(null, { user: auth.username });
        return;
      }
      const error = new Error('Invalid username or password') as Error & { responseCode: number };
      error.responseCode = 535;
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            user: session.user as string | undefined,
          });
          for (const wake of waiters.splice(0)) wake();
          callback(null);
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    caPem: cert,
    caFile,
    received,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} messages, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

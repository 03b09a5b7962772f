import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `server` listening (port 0 = any free port) and resolves with the bound port and a base
 * URL for it; rejects if the port cannot be had.
 */
export function listen(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({ port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` });
    });
  });
}

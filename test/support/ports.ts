import { createServer } from 'node:net';

/**
 * A port free now, for something that will listen on it later (a server started in another
 * process, a dependency that is down until the test brings it up). Chosen below the kernel's
 * ephemeral range (32768 and up), where every `listen(0)` of the tests running alongside gets its
 * port, so none of them takes it in between.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

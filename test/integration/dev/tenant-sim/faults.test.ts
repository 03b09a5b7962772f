import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Faults } from '../../../../server/dev/tenant-sim/faults.ts';
import { type SimHarness, startSimWithTenants } from './helpers.ts';

describe('tenant simulator: injected faults', () => {
  let h: SimHarness;
  beforeAll(async () => {
    h = await startSimWithTenants(['flaky', 'steady']);
  });
  afterAll(() => h?.stop());

  it('answers the fault status only on the listed endpoints of the faulty tenant', async () => {
    h.sim.faults.set('flaky', { status: 503, endpoints: ['PUT /cp/v1/secrets'] });
    try {
      await expect(h.api('flaky').putSecrets({ jwtSecret: 'j'.repeat(32) })).rejects.toMatchObject({
        status: 503,
        code: 'FAULT_INJECTED',
      });
      expect((await h.api('flaky').status()).status).toBe('ok');
      await expect(h.api('steady').putSecrets({ jwtSecret: 'j'.repeat(32) })).resolves.toBeUndefined();
    } finally {
      h.sim.faults.clear('flaky');
    }
  });

  it('heals after `times` requests, counting down what is left', async () => {
    h.sim.faults.set('flaky', { status: 500, times: 2 });
    await expect(h.api('flaky').status()).rejects.toMatchObject({ status: 500 });
    expect(h.sim.faults.get('flaky')?.times).toBe(1);
    await expect(h.api('flaky').migrations()).rejects.toMatchObject({ status: 500 });
    expect(h.sim.faults.get('flaky')).toBeUndefined();
    expect((await h.api('flaky').status()).status).toBe('ok');
  });

  it('`down` destroys the connection: the client sees a network error', async () => {
    h.sim.faults.set('flaky', { down: true, times: 1 });
    await expect(h.api('flaky').status()).rejects.toMatchObject({ kind: 'network' });
    expect((await h.api('flaky').status()).status).toBe('ok');
  });

  it('delays answers by delayMs, then serves normally', async () => {
    h.sim.faults.set('flaky', { delayMs: 250, times: 1 });
    const started = performance.now();
    expect((await h.api('flaky').status()).status).toBe('ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('clear() without a slug heals every tenant', async () => {
    h.sim.faults.set('flaky', { status: 500 });
    h.sim.faults.set('steady', { status: 500 });
    h.sim.faults.clear();
    expect((await h.api('flaky').status()).status).toBe('ok');
    expect((await h.api('steady').status()).status).toBe('ok');
  });

  it('refuses a fault that would do nothing or has a nonsense status or count', () => {
    const faults = new Faults();
    expect(() => faults.set('x', { times: 1 })).toThrow('a fault needs status, delayMs or down');
    expect(() => faults.set('x', { status: 42 })).toThrow('not an HTTP status');
    expect(() => faults.set('x', { status: 500, times: 0 })).toThrow('times');
  });
});

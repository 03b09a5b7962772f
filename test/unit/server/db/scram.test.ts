import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scramKeys, scramVerifier, scramVerifierAsync } from '../../../../server/db/scram.ts';

describe('SCRAM-SHA-256 verifier', () => {
  it('derives the keys of the RFC 7677 example (its server signature comes out right)', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const { serverKey } = scramKeys('pencil', salt, 4096);
    const authMessage =
      'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('has the form PostgreSQL stores, with a fresh salt each time', () => {
    const a = scramVerifier('secret');
    expect(a).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
    expect(scramVerifier('secret')).not.toBe(a);
    expect(a).not.toContain('secret');
  });

  it('comes out the same off the event loop (the async form) for the same salt', async () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    expect(await scramVerifierAsync('pencil', salt)).toBe(scramVerifier('pencil', salt));
    expect(await scramVerifierAsync('pencil')).not.toBe(await scramVerifierAsync('pencil'));
  });
});

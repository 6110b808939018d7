import { describe, expect, it } from 'vitest';
import { selfTest } from './validate-ubl.ts';

describe('the e-Factura rule runner', () => {
  it('gives every official example exactly the fatal findings expected.json lists (CIUS-RO and EN 16931, with the XSD)', { timeout: 300_000 }, async () => {
    expect(await selfTest()).toEqual([]);
  });
});

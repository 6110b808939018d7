import { describe, expect, it } from 'vitest';
import { buyerVatProblem, checkVatNumber } from './vat-number.ts';

describe('checkVatNumber: with or without the country prefix', () => {
  it.each([
    ['ATU12345678', 'AT', 'ATU12345678'],
    ['U12345678', 'AT', 'ATU12345678'],
    ['atu 1234 5678', 'AT', 'ATU12345678'],
    ['ATU12345678', 'DE', 'ATU12345678'],
    ['123456789', 'DE', 'DE123456789'],
    ['DE123456789', 'DE', 'DE123456789'],
    ['123456789', 'GR', 'EL123456789'],
    ['EL123456789', 'GR', 'EL123456789'],
    ['B12345678', 'ES', 'ESB12345678'],
    ['AB123456789', 'FR', 'FRAB123456789'],
    ['123456789B01', 'NL', 'NL123456789B01'],
    ['RO18547290', 'RO', 'RO18547290'],
    ['18547290', 'RO', 'RO18547290'],
    ['18547290', null, 'RO18547290'],
  ])('%s in %s → %s', (raw, country, vatId) => {
    expect(checkVatNumber(raw, country)).toMatchObject({ valid: true, vatId });
  });

  it.each([
    ['RO18547291', 'RO', 'CUI 18547291 fails the checksum'],
    ['18547291', 'RO', 'CUI 18547291 fails the checksum'],
    ['U1234', 'AT', 'U1234 is not a valid VAT number for AT'],
    ['ATU1234', 'AT', 'ATU1234 does not match the AT VAT format'],
    ['12345', 'DE', '12345 is not a valid VAT number for DE'],
    ['XX123', 'US', 'XX is not an EU VAT prefix'],
  ])('%s in %s is refused: %s', (raw, country, reason) => {
    expect(checkVatNumber(raw, country)).toEqual({ valid: false, reason });
  });

  it('a buyer VAT number is a problem only when given and wrong', () => {
    expect(buyerVatProblem(null, 'RO')).toBeNull();
    expect(buyerVatProblem('  ', 'RO')).toBeNull();
    expect(buyerVatProblem('U12345678', 'AT')).toBeNull();
    expect(buyerVatProblem('RO18547291', 'RO')).toBe('CUI 18547291 fails the checksum');
  });
});

import { describe, expect, it } from 'vitest';
import { whatsappRecipient } from './whatsapp-client.ts';

describe('whatsappRecipient', () => {
  it.each([
    ['0722 123 456', 'RO', '40722123456'],
    ['+40 722-123-456', null, '40722123456'],
    ['0040722123456', null, '40722123456'],
    ['01001234567', 'EG', '201001234567'],
    ['0722123456', null, null],
    ['12', 'RO', null],
    [null, 'RO', null],
  ])('%s (%s) → %s', (phone, country, expected) => {
    expect(whatsappRecipient(phone, country)).toBe(expected);
  });
});

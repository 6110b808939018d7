import { describe, expect, it } from 'vitest';
import { parseChannelNotifications } from '../notify-settings.ts';
import { customerLanguage } from './customer-language.ts';

describe('customerLanguage', () => {
  it("is the channel's notifications.language, Romanian when unset", () => {
    expect(customerLanguage(parseChannelNotifications({}).settings)).toBe('ro');
    expect(customerLanguage(parseChannelNotifications({ language: 'en' }).settings)).toBe('en');
  });

  it('a language Expedio does not write is refused like any bad setting', () => {
    const { settings, problem } = parseChannelNotifications({ language: 'de' });
    expect(problem).toContain('language');
    expect(customerLanguage(settings)).toBe('ro');
  });
});

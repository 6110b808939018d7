import { CUSTOMER_LANGUAGES } from '../../contracts/channel-settings.ts';
import type { ChannelNotifications } from '../notify-settings.ts';

export { CUSTOMER_LANGUAGES };
export type CustomerLanguage = (typeof CUSTOMER_LANGUAGES)[number];

/**
 * The language of a channel's customers: the channel's `notifications.language` when set, else
 * Romanian (what every channel was written to before the setting existed). Orders carry no
 * language of their own.
 */
export function customerLanguage(settings: Pick<ChannelNotifications, 'language'>): CustomerLanguage {
  return settings.language ?? 'ro';
}

import type { Db } from '../db/connect.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { getChannel, writeWebhookSecret } from './channel-repo.ts';

/** Stores (sealed) the secret the WooCommerce plugin signs its webhooks with; only WooCommerce channels have one. */
export async function registerWebhookSecret(db: Db, box: SecretBox, tenantId: string, channelId: string, secret: string): Promise<void> {
  const channel = await getChannel(db, tenantId, channelId);
  if (channel.kind !== 'woocommerce') {
    throw new DomainError('VALIDATION', `Channel ${channelId} is a ${channel.kind} channel; webhook secrets are registered for WooCommerce channels.`, [
      { path: 'id', reason: 'not a WooCommerce channel' },
    ]);
  }
  await writeWebhookSecret(db, box, tenantId, channelId, secret);
}

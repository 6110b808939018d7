import { SHOPIFY_RETURN_TOPICS } from './map-shopify-return.ts';
import { DomainError } from '../../shared/domain-error.ts';
import type { ShopifyAdminClient } from './shopify-admin-client.ts';

/** The topics the core acts on, delivered to its one Shopify webhook URL (compliance topics come from shopify.app.toml). */
export const SHOPIFY_WEBHOOK_TOPICS = ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'app/uninstalled', 'app/scopes_update'] as const;

/**
 * The topics to subscribe for a shop with these granted scopes: the Return API's topics only where
 * the shop granted read_returns (Shopify refuses a subscription its scopes do not cover).
 */
export function shopifyWebhookTopics(scopes: string | null | undefined): readonly string[] {
  const granted = new Set((scopes ?? '').split(',').map((s) => s.trim()));
  return granted.has('read_returns') || granted.has('write_returns') ? [...SHOPIFY_WEBHOOK_TOPICS, ...SHOPIFY_RETURN_TOPICS] : SHOPIFY_WEBHOOK_TOPICS;
}

/** `orders/create` → `ORDERS_CREATE`, the GraphQL WebhookSubscriptionTopic. */
export const graphqlTopic = (topic: string): string => topic.toUpperCase().replace(/[/.]/g, '_');

// The selection @shopify/shopify-api's own registry reads (lib/webhooks/register.ts), with nodes.
export const WEBHOOK_SUBSCRIPTIONS_QUERY = `query ExpedioWebhookSubscriptions($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { id topic endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
  }
}`;

export const WEBHOOK_SUBSCRIPTION_CREATE = `mutation ExpedioWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic }
    userErrors { field message }
  }
}`;

interface SubscriptionsPage {
  webhookSubscriptions: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: { id: string; topic: string; endpoint: { __typename: string; callbackUrl?: string } | null }[];
  };
}

interface CreateResult {
  webhookSubscriptionCreate: { webhookSubscription: { id: string; topic: string } | null; userErrors: { field: string[] | null; message: string }[] };
}

/**
 * Subscribes the shop's topics to `callbackUrl`, creating only what is missing, so a retry or a
 * reinstall adds nothing twice. Returns the topics created and those already there.
 */
export async function registerShopifyWebhooks(client: ShopifyAdminClient, callbackUrl: string, topics: readonly string[] = SHOPIFY_WEBHOOK_TOPICS): Promise<{ created: string[]; existing: string[] }> {
  const have = new Set<string>();
  let after: string | null = null;
  for (let page = 0; page < 20; page++) {
    const r: SubscriptionsPage = await client.graphql<SubscriptionsPage>(WEBHOOK_SUBSCRIPTIONS_QUERY, { after });
    for (const n of r.webhookSubscriptions.nodes) if (n.endpoint?.callbackUrl === callbackUrl) have.add(n.topic);
    if (!r.webhookSubscriptions.pageInfo.hasNextPage) break;
    after = r.webhookSubscriptions.pageInfo.endCursor;
  }
  const created: string[] = [];
  const existing: string[] = [];
  for (const topic of topics) {
    const gql = graphqlTopic(topic);
    if (have.has(gql)) {
      existing.push(topic);
      continue;
    }
    const r = await client.graphql<CreateResult>(WEBHOOK_SUBSCRIPTION_CREATE, { topic: gql, webhookSubscription: { callbackUrl, format: 'JSON' } });
    const errors = r.webhookSubscriptionCreate.userErrors;
    if (errors.length > 0) {
      throw new DomainError('UPSTREAM', `Shopify ${client.shopDomain} refused the ${topic} webhook: ${errors.map((e) => e.message).join('; ')}.`);
    }
    created.push(topic);
  }
  return { created, existing };
}

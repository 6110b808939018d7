import { sendShopifyWebhook } from './send-shopify-webhook.ts';

type Node = Record<string, unknown>;

/** A shop-specific subscription (webhookSubscriptionCreate) or an app-specific one (shopify.app.toml). */
export interface FakeWebhookSubscription {
  id: string;
  /** GraphQL form: ORDERS_CREATE, APP_UNINSTALLED. */
  topic: string;
  callbackUrl: string;
  format: string;
  source: 'shop' | 'app';
}

export interface FakeWebhookDelivery {
  topic: string;
  url: string;
  status: number;
  body: string;
}

export interface FakeWebhookStore {
  subscriptions: FakeWebhookSubscription[];
  deliveries: FakeWebhookDelivery[];
  /** What shopify.app.toml declares: Shopify delivers these to every shop the app is installed on. */
  addAppSubscription(topic: string, callbackUrl: string): void;
  /** Sends the event to every subscription of its topic, signed with the app secret, as Shopify does. */
  deliver(topic: string, body: string | Record<string, unknown>): Promise<FakeWebhookDelivery[]>;
  /** The shop's own subscriptions go with an uninstall (the app's declared ones stay with the app). */
  dropShopSubscriptions(): void;
  route(query: string, variables: Node): { cost: number; run: () => unknown } | null;
}

/** `orders/create` → `ORDERS_CREATE`, as the Admin API names topics. */
export const graphqlTopic = (topic: string): string => topic.toUpperCase().replace(/[/.]/g, '_');

/**
 * The Admin API's `webhookSubscriptions` query and `webhookSubscriptionCreate` mutation (the
 * selection @shopify/shopify-api's registry uses), and delivery of events to what is subscribed.
 */
export function createWebhookStore(o: { shopDomain: string; apiSecret: string; apiVersion?: string }): FakeWebhookStore {
  let seq = 9_000_000;
  const subscriptions: FakeWebhookSubscription[] = [];
  const deliveries: FakeWebhookDelivery[] = [];
  const arg = (query: string, name: string, variables: Node): unknown => {
    const m = new RegExp(`${name}\\s*:\\s*\\$(\\w+)`).exec(query);
    return m ? variables[m[1]!] : undefined;
  };

  return {
    subscriptions,
    deliveries,
    addAppSubscription(topic, callbackUrl) {
      subscriptions.push({ id: `gid://shopify/WebhookSubscription/${seq++}`, topic: graphqlTopic(topic), callbackUrl, format: 'JSON', source: 'app' });
    },
    async deliver(topic, body) {
      const gql = graphqlTopic(topic);
      const sent: FakeWebhookDelivery[] = [];
      for (const s of subscriptions.filter((x) => x.topic === gql)) {
        const res = await sendShopifyWebhook({ url: s.callbackUrl, topic, shopDomain: o.shopDomain, body, secret: o.apiSecret, apiVersion: o.apiVersion ?? '2025-10' });
        const d = { topic, url: s.callbackUrl, status: res.status, body: await res.text() };
        deliveries.push(d);
        sent.push(d);
      }
      return sent;
    },
    dropShopSubscriptions() {
      for (let i = subscriptions.length - 1; i >= 0; i--) if (subscriptions[i]!.source === 'shop') subscriptions.splice(i, 1);
    },
    route(query, variables) {
      if (/\bwebhookSubscriptionCreate\s*\(/.test(query)) {
        return {
          cost: 10,
          run: () => {
            const topic = String(arg(query, 'topic', variables) ?? '');
            const input = (arg(query, 'webhookSubscription', variables) ?? {}) as { callbackUrl?: string; uri?: string; format?: string };
            const callbackUrl = input.callbackUrl ?? input.uri ?? '';
            const userErrors: { field: string[]; message: string }[] = [];
            if (!/^[A-Z_]+$/.test(topic)) userErrors.push({ field: ['topic'], message: `Topic ${topic} is not a webhook topic` });
            if (!/^https?:\/\//.test(callbackUrl)) userErrors.push({ field: ['webhookSubscription', 'callbackUrl'], message: 'Address is invalid' });
            if (subscriptions.some((s) => s.source === 'shop' && s.topic === topic && s.callbackUrl === callbackUrl)) {
              userErrors.push({ field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken' });
            }
            if (userErrors.length > 0) return { webhookSubscriptionCreate: { webhookSubscription: null, userErrors } };
            const s: FakeWebhookSubscription = { id: `gid://shopify/WebhookSubscription/${seq++}`, topic, callbackUrl, format: input.format ?? 'JSON', source: 'shop' };
            subscriptions.push(s);
            return { webhookSubscriptionCreate: { webhookSubscription: { id: s.id, topic: s.topic }, userErrors: [] } };
          },
        };
      }
      if (/\bwebhookSubscriptions\s*\(/.test(query)) {
        return {
          cost: 12,
          run: () => {
            // The app sees only the subscriptions it made through the API.
            const nodes = subscriptions
              .filter((s) => s.source === 'shop')
              .map((s) => ({ id: s.id, topic: s.topic, endpoint: { __typename: 'WebhookHttpEndpoint', callbackUrl: s.callbackUrl } }));
            return { webhookSubscriptions: { pageInfo: { hasNextPage: false, endCursor: null }, nodes, edges: nodes.map((node) => ({ node })) } };
          },
        };
      }
      return null;
    },
  };
}

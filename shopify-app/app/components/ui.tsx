import { Badge, type BadgeProps, Banner, BlockStack, Box, Layout, Text } from '@shopify/polaris';
import type { CoreErrorView } from '../core-api.server';
import { type MessageKey, useT } from '../i18n';
import { ORDER_STATUSES, type OrderStatus } from '../generated/expedio-api';

type Tone = BadgeProps['tone'];

// One tone per Expedio status (design.md, "Order status"): blue while it moves through the
// warehouse, green once it is with the courier or done, yellow/red when someone must act. Keyed by
// the core's statuses, so a new one fails the typecheck until it has a tone.
const STATUS_TONE: Record<OrderStatus, Tone> = {
  draft: undefined,
  new: 'info',
  processing: 'info',
  confirmed: 'info',
  picking: 'attention',
  picked: 'attention',
  packed: 'attention',
  ready: 'attention',
  shipping: 'success',
  delivered: 'success',
  on_hold: 'warning',
  partially_returned: 'warning',
  returned: undefined,
  cancelled: 'critical',
};

export const isOrderStatus = (status: string): status is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(status);

export function humanize(value: string): string {
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The order's Expedio status; an unknown one (a core newer than this app) gets the neutral badge and its own words. */
export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return isOrderStatus(status) ? <Badge tone={STATUS_TONE[status]}>{t(`status.${status}` as MessageKey)}</Badge> : <Badge>{humanize(status)}</Badge>;
}

/** The core's error as the merchant reads it: its sentence and each field it names. */
export function CoreErrorBanner({ error, title }: { error: CoreErrorView; title?: string }) {
  const t = useT();
  return (
    <Banner tone="critical" title={title ?? t('common.errorTitle')}>
      <BlockStack gap="100">
        <p>{error.message}</p>
        {error.details.length ? (
          <ul>
            {error.details.map((d) => (
              <li key={`${d.path}:${d.reason}`}>
                <code>{d.path}</code>: {d.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </BlockStack>
    </Banner>
  );
}

/** A page's two error banners: the loader's (the page could not load) and the last action's. */
export function PageErrorBanners({ loadError, actionError }: { loadError?: CoreErrorView | null; actionError?: CoreErrorView | null }) {
  const t = useT();
  return (
    <>
      {loadError ? (
        <Layout.Section>
          <CoreErrorBanner error={loadError} title={t('common.loadErrorTitle')} />
        </Layout.Section>
      ) : null}
      {actionError ? (
        <Layout.Section>
          <CoreErrorBanner error={actionError} />
        </Layout.Section>
      ) : null}
    </>
  );
}

export function EmptyBlock({ title, body }: { title: string; body: string }) {
  return (
    <Box padding="800">
      <BlockStack gap="200" inlineAlign="center">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <Text as="p" tone="subdued">
          {body}
        </Text>
      </BlockStack>
    </Box>
  );
}

type Address = Record<string, unknown> | null | undefined;
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

/** An address as lines (Shopify's and Expedio's field names both). */
export function addressLines(a: Address): string[] {
  if (!a || typeof a !== 'object') return [];
  const name = str(a.name) ?? [str(a.firstName) ?? str(a.first_name), str(a.lastName) ?? str(a.last_name)].filter(Boolean).join(' ');
  const street = [str(a.addressLine) ?? str(a.address1) ?? str(a.street), str(a.address2)].filter(Boolean).join(', ');
  const city = [str(a.postalCode) ?? str(a.zip), str(a.city) ?? str(a.locality)].filter(Boolean).join(' ');
  const region = [str(a.county) ?? str(a.province), str(a.countryCode) ?? str(a.country_code) ?? str(a.country)].filter(Boolean).join(', ');
  return [name, str(a.company), street, city, region, str(a.phone)].filter((l): l is string => Boolean(l));
}

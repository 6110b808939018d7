import { TitleBar } from '@shopify/app-bridge-react';
import { BlockStack, Card, InlineGrid, Layout, Page, Text } from '@shopify/polaris';
import { Link } from 'react-router';
import { type MessageKey, useT } from '../i18n';
import { REPORT_NAMES } from '../report-specs';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.reports._index';

export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  return null;
}

/** The eight reports of the core, each a card leading to its page (chart, filters, rows, CSV). */
export default function ReportsPage() {
  const t = useT();
  return (
    <Page title={t('reports.title')} subtitle={t('reports.subtitle')}>
      <TitleBar title={t('reports.title')} />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            {REPORT_NAMES.map((name) => (
              <Card key={name}>
                <BlockStack gap="200">
                  <Link to={`/app/reports/${name}`}>
                    <Text as="h2" variant="headingMd">
                      {t(`report.${name}.title` as MessageKey)}
                    </Text>
                  </Link>
                  <Text as="p" tone="subdued">
                    {t(`report.${name}.about` as MessageKey)}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

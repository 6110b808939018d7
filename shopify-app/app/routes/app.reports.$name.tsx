import { TitleBar } from '@shopify/app-bridge-react';
import { BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from '@shopify/polaris';
import { useState } from 'react';
import { useLoaderData, useNavigate, useNavigation } from 'react-router';
import { DownloadButton } from '../components/print-button';
import { EmptyBlock, PageErrorBanners } from '../components/ui';
import { ReportChart } from '../components/report-chart';
import { attempt, core } from '../core-api.server';
import type { ReportPage } from '../generated/expedio-api';
import { type MessageKey, useT } from '../i18n';
import { isReportName, REPORT_FILTERS, reportQuery } from '../report-specs';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.reports.$name';

export async function loader({ request, params }: Route.LoaderArgs) {
  await authenticate.admin(request);
  if (!isReportName(params.name)) throw new Response(`No report ${params.name}.`, { status: 404 });
  const query = reportQuery(params.name, new URL(request.url).searchParams);
  const page = await attempt(core<ReportPage>(request, `/reports/${params.name}`, { query }));
  return { name: params.name, query, page: page.ok ? page.value : null, error: page.ok ? null : page.error };
}

/** A CSV column key as a heading: createdAt → Created at. */
const heading = (c: string) => c.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (x) => x.toUpperCase()).replace(/ ([A-Z])(?=[a-z])/g, (_, x: string) => ` ${x.toLowerCase()}`);
const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** One report: its filters, its chart (Chart.js, drawn in the browser), its rows, the next page and the CSV. */
export default function ReportPageView() {
  const { name, query, page, error } = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const filters = REPORT_FILTERS[name];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(filters.map((f) => [f.name, query[f.name] ?? ''])));
  const search = (extra: Record<string, string> = {}) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) next.set(k, v);
    return next.toString();
  };
  const filterLabel = (f: string) => t(`reports.filter.${f}` as MessageKey);
  const title = t(`report.${name}.title` as MessageKey);
  return (
    <Page title={title} subtitle={t(`report.${name}.about` as MessageKey)} backAction={{ content: t('reports.title'), url: '/app/reports' }}>
      <TitleBar title={title} />
      <Layout>
        <PageErrorBanners loadError={error} />
        <Layout.Section>
          <Card>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                navigate(`?${search()}`);
              }}
            >
              <InlineStack gap="300" blockAlign="end" wrap>
                {filters.map((f) =>
                  f.kind === 'select' ? (
                    <Select
                      key={f.name}
                      name={f.name}
                      label={filterLabel(f.name)}
                      options={[{ label: t('reports.any'), value: '' }, ...(f.options ?? []).map((o) => ({ label: o.replaceAll('_', ' '), value: o }))]}
                      value={values[f.name] ?? ''}
                      onChange={(v) => setValues({ ...values, [f.name]: v })}
                    />
                  ) : (
                    <TextField key={f.name} name={f.name} label={filterLabel(f.name)} type={f.kind === 'day' ? 'date' : f.kind === 'number' ? 'number' : 'text'} value={values[f.name] ?? ''} onChange={(v) => setValues({ ...values, [f.name]: v })} autoComplete="off" />
                  ),
                )}
                <Button submit variant="primary" loading={navigation.state === 'loading'}>
                  {t('reports.apply')}
                </Button>
                <DownloadButton href={`/app/report-csv/${name}?${search()}`} label={t('reports.csv')} filename={`${name}.csv`} />
              </InlineStack>
            </form>
          </Card>
        </Layout.Section>
        {page ? (
          <>
            <Layout.Section>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t('reports.chart')}
                  </Text>
                  {page.chart.labels.length ? (
                    <ReportChart chart={page.chart} label={title} />
                  ) : (
                    <Text as="p" tone="subdued">
                      {t('reports.chartEmpty')}
                    </Text>
                  )}
                  <Text as="p" variant="bodySm" tone="subdued">
                    {page.chart.scope === 'period' ? t('reports.scope.period') : t('reports.scope.page')}
                  </Text>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section>
              <Card padding="0">
                {page.rows.length === 0 ? (
                  <EmptyBlock title={t('reports.empty.title')} body={t('reports.empty.body')} />
                ) : (
                  <DataTable columnContentTypes={page.columns.map(() => 'text' as const)} headings={page.columns.map(heading)} rows={page.rows.map((r) => page.columns.map((c) => cell(r[c])))} />
                )}
                {page.nextCursor ? (
                  <Box padding="300">
                    <Button onClick={() => navigate(`?${search({ cursor: page.nextCursor ?? '' })}`)}>{t('reports.next')}</Button>
                  </Box>
                ) : null}
              </Card>
            </Layout.Section>
          </>
        ) : null}
      </Layout>
    </Page>
  );
}

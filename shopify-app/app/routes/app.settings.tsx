import { TitleBar } from '@shopify/app-bridge-react';
import { Banner, BlockStack, Button, Card, Checkbox, Layout, Page, Select, Text } from '@shopify/polaris';
import { useState } from 'react';
import { Form, useActionData, useLoaderData, useNavigation } from 'react-router';
import { PageErrorBanners } from '../components/ui';
import { attempt, core, errorView } from '../core-api.server';
import { CREATE_INVOICE_TRIGGERS, type ChannelSettings, type ChannelSettingsPatch } from '../generated/expedio-api';
import { type MessageKey, useT } from '../i18n';
import { authenticate } from '../shopify.server';
import type { Route } from './+types/app.settings';

/** The store's settings in Expedio (issue C's channel settings API), the ones a merchant changes most. */
export async function loader({ request }: Route.LoaderArgs) {
  await authenticate.admin(request);
  const channels = await attempt(core<{ channels: Array<{ id: string; kind: string }> }>(request, '/channels'));
  const channelId = channels.ok ? channels.value.channels.find((c) => c.kind === 'shopify')?.id ?? null : null;
  if (!channelId) return { channelId: null, settings: null, error: channels.ok ? null : channels.error };
  const settings = await attempt(core<ChannelSettings>(request, `/channels/${channelId}/settings`));
  return { channelId, settings: settings.ok ? settings.value : null, error: settings.ok ? null : settings.error };
}

export async function action({ request }: Route.ActionArgs) {
  await authenticate.admin(request);
  const form = await request.formData();
  const trigger = String(form.get('createInvoice'));
  const patch: ChannelSettingsPatch = {
    autoConfirm: form.get('autoConfirm') === 'on',
    autoCreateDeliveryNote: form.get('autoCreateDeliveryNote') === 'on',
    pushStock: form.get('pushStock') === 'on',
    ...((CREATE_INVOICE_TRIGGERS as readonly string[]).includes(trigger) ? { createInvoice: trigger as ChannelSettingsPatch['createInvoice'] } : {}),
  };
  try {
    await core(request, `/channels/${String(form.get('channelId'))}/settings`, { method: 'PATCH', body: patch });
    return { saved: true, error: null };
  } catch (error) {
    return { saved: false, error: errorView(error) };
  }
}

export default function SettingsPage() {
  const { channelId, settings, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const [s, setS] = useState({
    autoConfirm: settings?.autoConfirm ?? false,
    autoCreateDeliveryNote: settings?.autoCreateDeliveryNote ?? false,
    pushStock: settings?.pushStock ?? false,
    createInvoice: settings?.createInvoice ?? 'off',
  });
  return (
    <Page title={t('settings.title')}>
      <TitleBar title={t('settings.title')} />
      <Layout>
        <PageErrorBanners loadError={error} actionError={result?.error} />
        {result?.saved ? (
          <Layout.Section>
            <Banner tone="success" title={t('settings.saved')} />
          </Layout.Section>
        ) : null}
        <Layout.AnnotatedSection title={t('settings.channel')}>
          <Card>
            {settings && channelId ? (
              <Form method="post">
                <input type="hidden" name="channelId" value={channelId} />
                <BlockStack gap="300">
                  <Checkbox label={t('settings.autoConfirm')} checked={s.autoConfirm} onChange={(v) => setS({ ...s, autoConfirm: v })} />
                  {s.autoConfirm ? <input type="hidden" name="autoConfirm" value="on" /> : null}
                  <Checkbox label={t('settings.autoDeliveryNote')} checked={s.autoCreateDeliveryNote} onChange={(v) => setS({ ...s, autoCreateDeliveryNote: v })} />
                  {s.autoCreateDeliveryNote ? <input type="hidden" name="autoCreateDeliveryNote" value="on" /> : null}
                  <Checkbox label={t('settings.pushStock')} checked={s.pushStock} onChange={(v) => setS({ ...s, pushStock: v })} />
                  {s.pushStock ? <input type="hidden" name="pushStock" value="on" /> : null}
                  <Select
                    label={t('settings.createInvoice')}
                    name="createInvoice"
                    options={CREATE_INVOICE_TRIGGERS.map((v) => ({ label: t(`settings.invoice.${v}` as MessageKey), value: v }))}
                    value={s.createInvoice}
                    onChange={(v) => setS({ ...s, createInvoice: v as typeof s.createInvoice })}
                  />
                  <Button submit variant="primary" loading={navigation.state === 'submitting'}>
                    {t('common.save')}
                  </Button>
                </BlockStack>
              </Form>
            ) : (
              <Text as="p" tone="subdued">
                {t('settings.noChannel')}
              </Text>
            )}
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}

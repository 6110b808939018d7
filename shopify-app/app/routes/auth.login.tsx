import { AppProvider, BlockStack, Button, Card, FormLayout, Page, Text, TextField } from '@shopify/polaris';
import polarisTranslations from '@shopify/polaris/locales/en.json';
import polarisStyles from '@shopify/polaris/build/esm/styles.css?url';
import { useState } from 'react';
import { Form, useActionData, useLoaderData } from 'react-router';
import { login } from '../shopify.server';
import type { Route } from './+types/auth.login';

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: polarisStyles }];

// The library answers {} for a plain GET, { shop: 'MISSING_SHOP' | 'INVALID_SHOP' } for a bad
// domain, and throws the redirect to Shopify's install page for a good one.
function loginErrorMessage(errors: Awaited<ReturnType<typeof login>>): { shop?: string } {
  if (errors?.shop === 'MISSING_SHOP') return { shop: 'Enter your shop domain to log in.' };
  if (errors?.shop === 'INVALID_SHOP') return { shop: 'Enter a valid shop domain, e.g. your-store.myshopify.com.' };
  return {};
}

export async function loader({ request }: Route.LoaderArgs) {
  return { errors: loginErrorMessage(await login(request)) };
}

export async function action({ request }: Route.ActionArgs) {
  return { errors: loginErrorMessage(await login(request)) };
}

/** Outside the admin (the app's URL opened directly, or the CLI's install link): the merchant names the shop, Shopify installs or opens the app. */
export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState('');
  const { errors } = actionData ?? loaderData;

  return (
    <AppProvider i18n={polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <BlockStack gap="400">
              <Text as="h1" variant="headingLg">
                Log in to Expedio
              </Text>
              <FormLayout>
                <TextField
                  type="text"
                  name="shop"
                  label="Shop domain"
                  helpText="example.myshopify.com"
                  value={shop}
                  onChange={setShop}
                  autoComplete="on"
                  error={errors.shop}
                />
                <Button submit variant="primary">
                  Log in
                </Button>
              </FormLayout>
            </BlockStack>
          </Form>
        </Card>
      </Page>
    </AppProvider>
  );
}

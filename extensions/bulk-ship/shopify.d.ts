// The `shopify` global of the target and its Polaris web components' JSX types, as the Shopify CLI declares them.
import '@shopify/ui-extensions';

//@ts-ignore the module is the extension's entry, typed here for its target
declare module './src/index.tsx' {
  const shopify: import('@shopify/ui-extensions/admin.order-index.selection-action.render').Api;
}

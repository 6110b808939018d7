// Must match [access_scopes] in shopify.app.toml: Shopify installs those, and the library
// compares a stored session's scope against this list to decide whether it is still usable.
export const SCOPES = [
  'read_orders',
  'write_orders',
  'read_merchant_managed_fulfillment_orders',
  'write_merchant_managed_fulfillment_orders',
  'read_assigned_fulfillment_orders',
  'write_assigned_fulfillment_orders',
  'read_customers',
  'read_products',
  'read_locations',
  'read_inventory',
  'write_inventory',
  'read_returns',
  'write_returns',
  'read_gift_cards',
  'write_gift_cards',
];

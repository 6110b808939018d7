/** What the outside sees of the core: DTOs and vocabularies (zod), and the generator of the apps' types. */
export * from './api-types.ts';
export * from './courier.ts';
export * from './error.ts';
export * from './order.ts';
export * from './shipment.ts';
export * from './warehouse.ts';
export * from './webhook.ts';
export * from './installation.ts';
export * from './woo-connect.ts';
export * from './catalog.ts';
export * from './reports.ts';
export * from './return.ts';
export * from './store-return.ts';
export * from './ship-batch.ts';
export * from './stall.ts';

import { z } from 'zod';
import { CREATE_INVOICE_TRIGGERS, CUSTOMER_EVENTS, CUSTOMER_LANGUAGES, ChannelSettingsPatchSchema, ChannelSettingsSchema, INTAKE_STATUSES, TEMPLATE_PARAMS } from './channel-settings.ts';
import { COURIER_CODES, COURIER_SERVICES, SHIPMENT_STATUSES, TRACKING_STATUSES } from './courier.ts';
import { ErrorBodySchema } from './error.ts';
import { ShopifyInstallationRequestSchema, ShopifyInstallationSchema, ShopifyInstallationStateSchema } from './installation.ts';
import { REPORT_NAMES, ReportChartSchema, ReportPageSchema } from './reports.ts';
import { APPROVAL_STATUSES, DELIVERY_TYPES, ORDER_STATUSES, OrderActionResultSchema, OrderAwbSchema, OrderDetailSchema, OrderListRowSchema, OrderPageSchema, OrderSummarySchema, OrderTimelineSchema, TIMELINE_EVENT_KINDS } from './order.ts';
import { ReturnSummarySchema } from './return.ts';
import { SHIP_BATCH_STATUSES, ShipBatchSchema } from './ship-batch.ts';
import { StallSchema } from './stall.ts';

/*
 * The contracts as a TypeScript module for the apps (the Shopify app, the WooCommerce admin): the
 * enum value lists as constants and the DTOs as types, emitted from the zod schemas through their
 * JSON Schema. scripts/generate-api-types.ts writes it; a test fails when a committed copy is stale.
 */

/** Where the module is committed, relative to the repository root. */
export const API_TYPES_FILES = ['shopify-app/app/generated/expedio-api.ts', 'woo-plugin/src/generated/expedio-api.ts', 'extensions/shared/generated/expedio-api.ts'] as const;

const ENUMS: Array<[constName: string, typeName: string, values: readonly string[], doc: string]> = [
  ['ORDER_STATUSES', 'OrderStatus', ORDER_STATUSES, "The order's fulfilment statuses, in the order the flow reaches them."],
  ['APPROVAL_STATUSES', 'ApprovalStatus', APPROVAL_STATUSES, 'Where an order awaiting approval stands.'],
  ['DELIVERY_TYPES', 'DeliveryType', DELIVERY_TYPES, 'Total: one delivery; partial: what is in stock now, the rest later.'],
  ['COURIER_CODES', 'CourierCode', COURIER_CODES, 'The couriers Expedio ships with.'],
  ['COURIER_SERVICES', 'CourierService', COURIER_SERVICES, 'The services every courier maps.'],
  ['TRACKING_STATUSES', 'TrackingStatus', TRACKING_STATUSES, 'One tracking vocabulary for every courier.'],
  ['SHIPMENT_STATUSES', 'ShipmentStatus', SHIPMENT_STATUSES, 'A shipment is creating until the courier confirms the AWB, then follows the tracking.'],
  ['CREATE_INVOICE_TRIGGERS', 'CreateInvoiceTrigger', CREATE_INVOICE_TRIGGERS, "When a channel's orders are invoiced: never, when shipped, when paid."],
  ['INTAKE_STATUSES', 'IntakeStatus', INTAKE_STATUSES, 'The statuses an incoming store order may start in.'],
  ['CUSTOMER_LANGUAGES', 'CustomerLanguage', CUSTOMER_LANGUAGES, 'The languages Expedio writes to customers in.'],
  ['CUSTOMER_EVENTS', 'CustomerEvent', CUSTOMER_EVENTS, 'The shipment moments a customer may hear about.'],
  ['TEMPLATE_PARAMS', 'TemplateParam', TEMPLATE_PARAMS, "What fills a WhatsApp template's body variables, in order."],
  ['REPORT_NAMES', 'ReportName', REPORT_NAMES, 'The reports: GET /api/v1/reports/<name> (JSON, or CSV with ?format=csv).'],
  ['TIMELINE_EVENT_KINDS', 'TimelineEventKind', TIMELINE_EVENT_KINDS, "What an entry of an order's timeline is."],
  ['SHIP_BATCH_STATUSES', 'ShipBatchStatus', SHIP_BATCH_STATUSES, 'A bulk AWB run: running, done, or done with failed orders to retry.'],
];

const TYPES: Array<[name: string, schema: z.ZodType, doc: string]> = [
  ['OrderSummary', OrderSummarySchema, 'One order as GET /api/v1/orders lists it.'],
  ['OrdersPage', OrderPageSchema, 'A page of orders, newest first; nextCursor is opaque.'],
  ['ErrorBody', ErrorBodySchema, 'Every error answer of the core.'],
  ['ChannelSettings', ChannelSettingsSchema, 'GET /api/v1/channels/{id}/settings: every setting of the channel; secrets only as whether they are set.'],
  ['ChannelSettingsPatch', ChannelSettingsPatchSchema, 'PATCH /api/v1/channels/{id}/settings: only the given keys are written; null clears an optional value.'],
  ['ShopifyInstallationRequest', ShopifyInstallationRequestSchema, 'POST /api/v1/installations/shopify: the offline token the Shopify app obtained for the shop.'],
  ['ShopifyInstallation', ShopifyInstallationSchema, 'POST /api/v1/installations/shopify: the shop is connected.'],
  ['ShopifyInstallationState', ShopifyInstallationStateSchema, 'GET /api/v1/installations/shopify: the shop as the core knows it.'],
  ['ReportChart', ReportChartSchema, "A report's chart as data: one value per label in every series; draw it with ExpedioReportChart.draw (the core's /warehouse/assets/report-chart.js over Chart.js)."],
  ['ReportPage', ReportPageSchema, 'GET /api/v1/reports/<name>: the page of rows (each with at least its columns), the next page cursor and the chart.'],
  ['OrderAwb', OrderAwbSchema, 'A live AWB of an order as the order list shows it.'],
  ['OrderListRow', OrderListRowSchema, 'One row of GET /api/v1/orders: the order and its live AWBs.'],
  ['OrderDetail', OrderDetailSchema, 'GET /api/v1/orders/{id}: the order with its lines, client and addresses.'],
  ['OrderActionResult', OrderActionResultSchema, 'POST /api/v1/orders/{id}/confirm|hold|cancel|approve|reject: the order after the action.'],
  ['OrderTimeline', OrderTimelineSchema, 'GET /api/v1/orders/{id}/timeline: what happened to the order, newest first.'],
  ['ShipBatch', ShipBatchSchema, 'POST /api/v1/ship-batches, GET /api/v1/ship-batches/{id}: a bulk AWB run with per-order progress.'],
  ['ReturnSummary', ReturnSummarySchema, 'One row of GET /api/v1/returns: the return, its order (with the store number) and its state.'],
  ['Stall', StallSchema, 'One open stall of GET /api/v1/stalls: what is stuck, why, the fix and a link; storeDifference for an invoice held for a store difference.'],
];

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** Enum value lists become references to the emitted enum types, so the types read as the domain words. */
const enumTypeOf = (values: unknown[]): string | null => {
  const key = JSON.stringify([...values].filter((v) => v !== null));
  const hit = ENUMS.find(([, , list]) => JSON.stringify(list) === key);
  return hit ? hit[1] : null;
};

function tsType(s: JsonSchema, indent: string): string {
  if (s.$ref) return s.$ref.replace(/^#\/\$defs\//, '');
  if (s.anyOf ?? s.oneOf) return (s.anyOf ?? s.oneOf)!.map((x) => tsType(x, indent)).join(' | ');
  if (s.const !== undefined) return typeof s.const === 'string' ? `'${s.const}'` : String(s.const);
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
  const nullable = types.includes('null') || (s.enum?.includes(null) ?? false);
  let base: string;
  if (s.enum) {
    base = enumTypeOf(s.enum) ?? s.enum.filter((v) => v !== null).map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' | ');
  } else {
    const t = types.find((x) => x !== 'null');
    if (t === undefined) return nullable ? 'null' : 'unknown';
    if (t === 'string') base = 'string';
    else if (t === 'number' || t === 'integer') base = 'number';
    else if (t === 'boolean') base = 'boolean';
    else if (t === 'array') base = `Array<${tsType(s.items ?? {}, indent)}>`;
    else if (t === 'object') base = objectType(s, indent);
    else base = 'unknown';
  }
  return nullable ? `${base} | null` : base;
}

function objectType(s: JsonSchema, indent: string): string {
  const inner = `${indent}  `;
  const required = new Set(s.required ?? []);
  const lines = Object.entries(s.properties ?? {}).map(([k, v]) => `${inner}${k}${required.has(k) ? '' : '?'}: ${tsType(v, inner)};`);
  if (s.additionalProperties && s.additionalProperties !== true && Object.keys(s.additionalProperties).length > 0) {
    lines.push(`${inner}[key: string]: ${tsType(s.additionalProperties, inner)};`);
  } else if (s.additionalProperties === true || (typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length === 0)) {
    lines.push(`${inner}[key: string]: unknown;`);
  }
  return lines.length === 0 ? 'Record<string, never>' : `{\n${lines.join('\n')}\n${indent}}`;
}

/** The generated module's text (the same for both apps). */
export function renderApiTypes(): string {
  const out: string[] = [
    '/*',
    ' * Generated by scripts/generate-api-types.ts from core/src/contracts: do not edit by hand.',
    ' * Change the contract and run `node scripts/generate-api-types.ts`.',
    ' */',
    '',
  ];
  for (const [constName, typeName, values, doc] of ENUMS) {
    out.push(`/** ${doc} */`, `export const ${constName} = [${values.map((v) => `'${v}'`).join(', ')}] as const;`, `export type ${typeName} = (typeof ${constName})[number];`, '');
  }
  for (const [name, schema, doc] of TYPES) {
    const json = z.toJSONSchema(schema, { io: 'output' }) as JsonSchema;
    // A schema with an id comes back as a $ref to its own definition.
    const own = json.$ref ? json.$defs![json.$ref.replace(/^#\/\$defs\//, '')]! : json;
    out.push(`/** ${doc} */`, `export type ${name} = ${tsType(own, '')};`, '');
  }
  return out.join('\n');
}

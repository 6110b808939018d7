import { z } from '@hono/zod-openapi';

/**
 * Every courier's account keys, read by shipping/courier-accounts.ts (createCourierAdapter). The
 * same text is in docs/couriers.md; a test checks both name every key the adapters read.
 */
export const COURIER_ACCOUNT_KEYS = {
  innoship: { credentials: ['apiKey'], required: ['clientLocationId'], optional: ['courierId', 'codMode', 'statusOverrides', 'timeoutMs'] },
  sameday: { credentials: ['username', 'password'], required: ['pickupPointId'], optional: ['statusOverrides', 'timeoutMs'] },
  cargus: { credentials: ['subscriptionKey', 'username', 'password'], required: ['senderLocationId'], optional: ['priceTableId', 'serviceId', 'codMode', 'statusOverrides', 'timeoutMs'] },
  fancourier: { credentials: ['username', 'password'], required: ['clientId'], optional: ['service', 'statusOverrides', 'timeoutMs'] },
  bosta: { credentials: ['apiKey', 'webhookSecret'], required: [], optional: ['businessLocationId', 'packageType', 'webhookUrl', 'webhookHeaderName', 'orderKind', 'courierLabel', 'sender', 'statusOverrides', 'timeoutMs'] },
} as const;

export const COURIER_ACCOUNT_KEYS_DOC = [
  'Keys per courier (credentials are sealed, never returned; settings are plain):',
  '- innoship: credentials.apiKey; settings.clientLocationId (required: the warehouse id of the Innoship portal, ExternalClientLocation), courierId (forces one courier: 1 Cargus, 2 DPD, 3 FAN, 4 GLS, 6 Sameday), codMode (cash | bank). Services: ServiceId 1, 6, 3, 4, 11, 12, 2, 5, 51.',
  '- sameday: credentials.username, credentials.password; settings.pickupPointId (required: id from Sameday GET /api/client/pickup-points). Services: ids from GET /courier-accounts/{id}/services (default 7).',
  '- cargus: credentials.subscriptionKey (Azure APIM primary key), credentials.username, credentials.password (WebExpress); settings.senderLocationId (required: a PickupLocations id), priceTableId, serviceId (default 34), codMode (cash | bank). Services: 34, 35, 36, 38, 39.',
  '- fancourier: credentials.username, credentials.password; settings.clientId (required), service (a service name; default Standard, or Cont Colector with COD).',
  '- bosta: credentials.apiKey (sent as Authorization without Bearer), credentials.webhookSecret (generated when absent); settings.businessLocationId, packageType (SMALL | MEDIUM | LARGE | Light Bulky | Heavy Bulky), webhookUrl, webhookHeaderName, orderKind (international), courierLabel (true: use Bosta\'s label), sender. Services: type 10, 15, 25, 30.',
  'Every courier: settings.statusOverrides ({rawCode: trackingStatus}), settings.timeoutMs; baseUrl overrides the production URL (sandbox, fake); defaultService fills requests that name no service; senderAddress is the pickup point printed as sender on every AWB (RO: county as code or name, a Bucharest locality names its sector; EG: district required).',
].join('\n');

export const SenderAddressSchema = z
  .object({
    name: z.string().max(100),
    contactPerson: z.string().max(100).nullable().optional(),
    phone: z.string().max(40),
    email: z.string().max(200).nullable().optional(),
    countryCode: z.string().max(2).optional().meta({ description: 'ISO 3166-1 alpha-2; default RO' }),
    county: z.string().max(60).nullable().optional().meta({ description: 'RO: code (CJ) or name (Cluj, Județul Cluj); stored as the name, with countyCode' }),
    locality: z.string().max(100),
    postalCode: z.string().max(20).nullable().optional(),
    addressLine: z.string().max(200),
    district: z.string().max(100).nullable().optional().meta({ description: 'EG (Bosta): required' }),
  })
  .meta({ description: 'The pickup point registered with the courier; checked per field (400 naming senderAddress.<field>)' });

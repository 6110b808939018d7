import type { TrackingFeed } from './courier-adapter.ts';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/connect.ts';
import { DomainError, type ErrorDetail } from '../shared/domain-error.ts';
import { assertPublicUrl } from '../shared/public-host.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { COURIER_CODES, type CourierAdapter, type CourierCode, type ReturnPickupRequest, type ShipmentAddress, type ShipmentRequest, TRACKING_STATUSES, type TrackingStatus } from './courier-adapter.ts';
import { BOSTA_BASE_URL, type BostaAdapter, createBostaAdapter } from './couriers/bosta/bosta-adapter.ts';
import type { BostaOrderKind } from './couriers/bosta/bosta-mapper.ts';
import { CARGUS_BASE_URL, createCargusAdapter } from './couriers/cargus/cargus-adapter.ts';
import { createFanCourierAdapter, FANCOURIER_BASE_URL } from './couriers/fancourier/fancourier-adapter.ts';
import { createInnoshipAdapter, INNOSHIP_BASE_URL } from './couriers/innoship/innoship-adapter.ts';
import { createSamedayAdapter, SAMEDAY_BASE_URL } from './couriers/sameday/sameday-adapter.ts';
import { checkSenderAddress, type SenderAddress, type SenderAddressInput, senderShipmentAddress } from './sender-address.ts';
import { withCourierRoAddresses } from './ro-address.ts';

/** A courier account as the code uses it: credentials opened, settings as stored. */
export interface CourierAccount {
  id: string;
  tenantId: string;
  courier: CourierCode;
  name: string;
  channelId: string | null;
  warehouseId: string | null;
  credentials: Record<string, string>;
  baseUrl: string;
  defaultService: string | null;
  settings: Record<string, unknown>;
  active: boolean;
  /** The pickup point registered with the courier; the sender of every AWB when set. */
  senderAddress?: SenderAddress | null;
}

/** What lists and screens see: never the credentials, only which ones are set. */
export type CourierAccountSummary = Omit<CourierAccount, 'credentials'> & { credentialKeys: string[] };

export interface CourierAccountInput {
  /** Present to update; credentials may then be omitted to keep the stored ones. */
  id?: string;
  courier: CourierCode;
  name: string;
  channelId?: string | null;
  warehouseId?: string | null;
  credentials?: Record<string, string>;
  baseUrl?: string | null;
  defaultService?: string | null;
  settings?: Record<string, unknown>;
  active?: boolean;
  /** Omitted on update keeps the stored one; null clears it. */
  senderAddress?: SenderAddressInput | null;
}

export const DEFAULT_BASE_URLS: Record<CourierCode, string> = {
  innoship: INNOSHIP_BASE_URL,
  cargus: CARGUS_BASE_URL,
  fancourier: FANCOURIER_BASE_URL,
  sameday: SAMEDAY_BASE_URL,
  bosta: BOSTA_BASE_URL,
};

/** Secrets each courier's auth flow needs (shared/contracts/couriers.md §0 "Auth"). */
const REQUIRED_CREDENTIALS: Record<CourierCode, string[]> = {
  innoship: ['apiKey'],
  cargus: ['subscriptionKey', 'username', 'password'],
  fancourier: ['username', 'password'],
  sameday: ['username', 'password'],
  bosta: ['apiKey'],
};

/** Non-secret ids without which no AWB can be made (warehouse location, pickup point, FAN clientId). */
const REQUIRED_SETTINGS: Record<CourierCode, string[]> = {
  innoship: ['clientLocationId'],
  cargus: ['senderLocationId'],
  fancourier: ['clientId'],
  sameday: ['pickupPointId'],
  bosta: [],
};

interface Row {
  id: string;
  tenant_id: string;
  courier: CourierCode;
  name: string;
  channel_id: string | null;
  warehouse_id: string | null;
  credentials_enc: string;
  base_url: string;
  default_service: string | null;
  settings: Record<string, unknown>;
  active: boolean;
  sender_address: SenderAddress | null;
}

const COLUMNS = 'id::text, tenant_id::text, courier, name, channel_id::text, warehouse_id::text, credentials_enc, base_url, default_service, settings, active, sender_address';

function summaryOf(r: Row): Omit<CourierAccount, 'credentials'> {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    courier: r.courier,
    name: r.name,
    channelId: r.channel_id,
    warehouseId: r.warehouse_id,
    baseUrl: r.base_url,
    defaultService: r.default_service,
    settings: r.settings ?? {},
    active: r.active,
    senderAddress: r.sender_address ?? null,
  };
}

function openRow(box: SecretBox, r: Row): CourierAccount {
  return { ...summaryOf(r), credentials: JSON.parse(box.open(r.credentials_enc)) as Record<string, string> };
}

const isId = (v: unknown) => v == null || (typeof v === 'string' && /^\d{1,18}$/.test(v));

export function validateCourierAccount(input: CourierAccountInput, updating: boolean): ErrorDetail[] {
  const d: ErrorDetail[] = [];
  if (!COURIER_CODES.includes(input.courier)) return [{ path: 'courier', reason: `must be one of ${COURIER_CODES.join(', ')}` }];
  if (!input.name?.trim()) d.push({ path: 'name', reason: 'is required' });
  if (!isId(input.channelId)) d.push({ path: 'channelId', reason: 'must be an id' });
  if (!isId(input.warehouseId)) d.push({ path: 'warehouseId', reason: 'must be an id' });
  if (input.credentials || !updating) {
    const creds = input.credentials ?? {};
    for (const k of REQUIRED_CREDENTIALS[input.courier])
      if (typeof creds[k] !== 'string' || !creds[k].trim()) d.push({ path: `credentials.${k}`, reason: `is required for ${input.courier}` });
  }
  const settings = input.settings ?? {};
  for (const k of REQUIRED_SETTINGS[input.courier])
    if (settings[k] == null || settings[k] === '') d.push({ path: `settings.${k}`, reason: `is required for ${input.courier}` });
  if (input.baseUrl != null && input.baseUrl !== '') {
    try {
      if (!/^https?:$/.test(new URL(input.baseUrl).protocol)) d.push({ path: 'baseUrl', reason: 'must be an http(s) URL' });
    } catch {
      d.push({ path: 'baseUrl', reason: 'must be an http(s) URL' });
    }
  }
  if (input.senderAddress) d.push(...checkSenderAddress(input.senderAddress).problems);
  const overrides = settings.statusOverrides;
  if (overrides != null) {
    if (typeof overrides !== 'object' || Array.isArray(overrides)) d.push({ path: 'settings.statusOverrides', reason: 'must map raw codes to statuses' });
    else
      for (const [code, status] of Object.entries(overrides))
        if (!TRACKING_STATUSES.includes(status as TrackingStatus)) d.push({ path: `settings.statusOverrides.${code}`, reason: `must be one of ${TRACKING_STATUSES.join(', ')}` });
  }
  return d;
}

function dbError(e: unknown, input: CourierAccountInput): never {
  const code = (e as { code?: string }).code;
  if (code === '23505')
    throw new DomainError('CONFLICT', `An active ${input.courier} account already exists for this channel/warehouse scope.`, [{ path: 'scope', reason: 'an active account exists for this courier and scope' }]);
  if (code === '23503') {
    const path = /warehouse/.test((e as { constraint_name?: string }).constraint_name ?? '') ? 'warehouseId' : 'channelId';
    throw new DomainError('VALIDATION', `Courier account ${input.name} names a ${path === 'warehouseId' ? 'warehouse' : 'channel'} this tenant does not have.`, [{ path, reason: 'not found' }]);
  }
  throw e;
}

/**
 * Saves a courier account with its credentials sealed (SecretBox); never stored in clear. A Bosta account
 * without a webhook secret gets a generated one: it is what authenticates Bosta's webhooks.
 */
export async function saveCourierAccount(db: Db, box: SecretBox, tenantId: string, input: CourierAccountInput): Promise<CourierAccount> {
  const details = validateCourierAccount(input, input.id != null);
  if (details.length) throw new DomainError('VALIDATION', `Courier account ${input.name || '(unnamed)'} is invalid: ${details.map((x) => `${x.path} ${x.reason}`).join('; ')}.`, details);
  // A tenant-set URL is called by our servers: public hosts only (resolved here, so call with the pool).
  if (input.baseUrl) await assertPublicUrl(input.baseUrl, 'baseUrl');
  let credentials = input.credentials ? { ...input.credentials } : null;
  if (credentials && input.courier === 'bosta' && !credentials.webhookSecret) credentials.webhookSecret = randomBytes(24).toString('base64url');
  const baseUrl = input.baseUrl || DEFAULT_BASE_URLS[input.courier];
  const settingsJson = (input.settings ?? {}) as Parameters<Db['json']>[0];
  const sender = input.senderAddress ? checkSenderAddress(input.senderAddress).address : null;
  const senderJson = sender ? db.json(sender as unknown as Parameters<Db['json']>[0]) : null;
  let row: Row | undefined;
  try {
    if (input.id == null) {
      [row] = await db<Row[]>`
        insert into courier_accounts (tenant_id, courier, name, channel_id, warehouse_id, credentials_enc, base_url, default_service, settings, active, sender_address)
        values (${tenantId}, ${input.courier}, ${input.name.trim()}, ${input.channelId ?? null}, ${input.warehouseId ?? null}, ${box.seal(JSON.stringify(credentials))},
          ${baseUrl}, ${input.defaultService ?? null}, ${db.json(settingsJson)}, ${input.active ?? true}, ${senderJson})
        returning ${db.unsafe(COLUMNS)}`;
    } else {
      const [existing] = await db<Row[]>`select courier, credentials_enc from courier_accounts where tenant_id = ${tenantId} and id = ${input.id} for update`;
      if (!existing) throw new DomainError('NOT_FOUND', `Courier account ${input.id} does not exist.`, [{ path: 'id', reason: 'not found' }]);
      if (existing.courier !== input.courier) throw new DomainError('VALIDATION', `Courier account ${input.id} is a ${existing.courier} account; its courier cannot change.`, [{ path: 'courier', reason: 'cannot change' }]);
      if (credentials === null) credentials = JSON.parse(box.open(existing.credentials_enc)) as Record<string, string>;
      [row] = await db<Row[]>`
        update courier_accounts set name = ${input.name.trim()}, channel_id = ${input.channelId ?? null}, warehouse_id = ${input.warehouseId ?? null},
          credentials_enc = ${box.seal(JSON.stringify(credentials))}, base_url = ${baseUrl}, default_service = ${input.defaultService ?? null},
          settings = ${db.json(settingsJson)}, active = ${input.active ?? true},
          sender_address = ${input.senderAddress === undefined ? db`sender_address` : senderJson}, updated_at = now()
        where tenant_id = ${tenantId} and id = ${input.id}
        returning ${db.unsafe(COLUMNS)}`;
    }
  } catch (e) {
    if (e instanceof DomainError) throw e;
    dbError(e, input);
  }
  return openRow(box, row!);
}

export async function loadCourierAccount(db: Db, box: SecretBox, tenantId: string, id: string): Promise<CourierAccount> {
  const [row] = isId(id) ? await db.unsafe<Row[]>(`select ${COLUMNS} from courier_accounts where tenant_id = $1 and id = $2`, [tenantId, id]) : [];
  if (!row) throw new DomainError('NOT_FOUND', `Courier account ${id} does not exist.`, [{ path: 'id', reason: 'not found' }]);
  return openRow(box, row);
}

export async function listCourierAccounts(db: Db, box: SecretBox, tenantId: string, filter: { courier?: CourierCode; activeOnly?: boolean } = {}): Promise<CourierAccountSummary[]> {
  const rows = await db.unsafe<Row[]>(
    `select ${COLUMNS} from courier_accounts where tenant_id = $1 and ($2::text is null or courier = $2) and (not $3 or active) order by courier, courier_accounts.id`,
    [tenantId, filter.courier ?? null, filter.activeOnly ?? false],
  );
  return rows.map((r) => ({ ...summaryOf(r), credentialKeys: Object.keys(JSON.parse(box.open(r.credentials_enc))).sort() }));
}

export interface AccountScope {
  channelId?: string | null;
  warehouseId?: string | null;
}

/**
 * The active accounts that apply to a channel × warehouse, most specific first per courier: channel and
 * warehouse both match, then channel only, then warehouse only, then the tenant-wide account. A channel
 * match outranks a warehouse match because the contract with the courier is usually the shop's.
 */
export async function resolveCourierAccounts(db: Db, box: SecretBox, tenantId: string, scope: AccountScope, courier?: CourierCode): Promise<CourierAccount[]> {
  const rows = await db.unsafe<Row[]>(
    `select distinct on (courier) ${COLUMNS} from courier_accounts
     where tenant_id = $1 and active and ($2::text is null or courier = $2)
       and (channel_id is null or channel_id = $3::bigint) and (warehouse_id is null or warehouse_id = $4::bigint)
     order by courier, (channel_id is not null) desc, (warehouse_id is not null) desc, courier_accounts.id`,
    [tenantId, courier ?? null, scope.channelId ?? null, scope.warehouseId ?? null],
  );
  return rows.map((r) => openRow(box, r));
}

export async function resolveCourierAccount(db: Db, box: SecretBox, tenantId: string, courier: CourierCode, scope: AccountScope): Promise<CourierAccount | null> {
  return (await resolveCourierAccounts(db, box, tenantId, scope, courier))[0] ?? null;
}

export interface CourierAdapterDeps {
  /** Usually the audited fetch (courier-audit.ts) bound to this account. */
  fetch?: typeof globalThis.fetch;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
}

const str = (v: unknown): string | undefined => (v == null || v === '' ? undefined : String(v));
const num = (v: unknown): number | undefined => (v == null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
const codMode = (v: unknown): 'cash' | 'bank' | undefined => (v === 'cash' || v === 'bank' ? v : undefined);
const address = (v: unknown): ShipmentAddress | undefined => (v && typeof v === 'object' ? (v as ShipmentAddress) : undefined);

/** Builds the adapter for a stored account (all five couriers); the account's default service fills requests that name none. */
/**
 * The couriers whose adapter has the optional status feed, and the feed's cursor name: tracking
 * keeps a cursor per account of these (a test checks the list against the adapters).
 */
export const COURIER_STATUS_FEEDS: ReadonlyArray<{ feed: TrackingFeed; courier: CourierCode }> = [{ feed: 'sameday.status_sync', courier: 'sameday' }];

export function createCourierAdapter(account: CourierAccount, deps: CourierAdapterDeps = {}): CourierAdapter & { resolveWebhook?: BostaAdapter['resolveWebhook'] } {
  const c = account.credentials;
  const s = account.settings;
  const http = { baseUrl: account.baseUrl || DEFAULT_BASE_URLS[account.courier], fetch: deps.fetch, now: deps.now, sleep: deps.sleep, timeoutMs: deps.timeoutMs };
  const statusOverrides = (s.statusOverrides ?? undefined) as Record<string, TrackingStatus> | undefined;
  const need = (k: string, v: unknown): string => {
    if (v == null || v === '') throw new DomainError('VALIDATION', `Courier account ${account.id} (${account.courier}) lacks ${k}.`, [{ path: k, reason: 'is required' }]);
    return String(v);
  };
  let adapter: CourierAdapter & { resolveWebhook?: BostaAdapter['resolveWebhook'] };
  switch (account.courier) {
    case 'innoship':
      adapter = createInnoshipAdapter({ ...http, apiKey: need('credentials.apiKey', c.apiKey), clientLocationId: need('settings.clientLocationId', s.clientLocationId), courierId: num(s.courierId), codMode: codMode(s.codMode), statusOverrides });
      break;
    case 'sameday':
      adapter = createSamedayAdapter({ ...http, username: need('credentials.username', c.username), password: need('credentials.password', c.password), pickupPointId: Number(need('settings.pickupPointId', s.pickupPointId)), statusOverrides });
      break;
    case 'cargus':
      adapter = createCargusAdapter({
        ...http,
        subscriptionKey: need('credentials.subscriptionKey', c.subscriptionKey),
        username: need('credentials.username', c.username),
        password: need('credentials.password', c.password),
        senderLocationId: need('settings.senderLocationId', s.senderLocationId),
        priceTableId: num(s.priceTableId),
        serviceId: num(s.serviceId),
        codMode: codMode(s.codMode),
        statusOverrides,
      });
      break;
    case 'fancourier':
      adapter = createFanCourierAdapter({ ...http, username: need('credentials.username', c.username), password: need('credentials.password', c.password), clientId: need('settings.clientId', s.clientId), service: str(s.service), statusOverrides });
      break;
    case 'bosta':
      adapter = createBostaAdapter({
        ...http,
        apiKey: need('credentials.apiKey', c.apiKey),
        webhookSecret: str(c.webhookSecret),
        businessLocationId: str(s.businessLocationId),
        packageType: str(s.packageType),
        webhookUrl: str(s.webhookUrl),
        webhookHeaderName: str(s.webhookHeaderName),
        orderKind: s.orderKind === 'international' ? ('international' as BostaOrderKind) : undefined,
        courierLabel: s.courierLabel === true,
        sender: address(s.sender) ?? (account.senderAddress ? senderShipmentAddress(account.senderAddress) : undefined),
        statusOverrides,
      });
      break;
    default:
      throw new DomainError('VALIDATION', `Unknown courier ${String(account.courier)}.`, [{ path: 'courier', reason: 'unknown' }]);
  }
  const fallback = account.defaultService;
  const pickup = account.senderAddress ? senderShipmentAddress(account.senderAddress) : null;
  // The account's pickup point is the address registered with the courier: it wins over the warehouse's.
  // Every courier gets the county and locality as its nomenclature spells them, whatever form the store sent.
  const prepare = (req: ShipmentRequest): ShipmentRequest =>
    withCourierRoAddresses({ ...req, ...(req.service || !fallback ? {} : { service: fallback }), ...(pickup ? { sender: pickup } : {}) });
  const returnPickup = adapter.createReturnPickup?.bind(adapter);
  return {
    ...adapter,
    quote: (req) => adapter.quote(prepare(req)),
    createShipment: (req) => adapter.createShipment(prepare(req)),
    ...(returnPickup ? { createReturnPickup: (req: ReturnPickupRequest) => returnPickup({ ...req, ...prepare(req) }) } : {}),
    ...(adapter.returnPickupProblems ? { returnPickupProblems: adapter.returnPickupProblems.bind(adapter) } : {}),
  };
}

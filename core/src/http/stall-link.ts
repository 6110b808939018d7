import type { StallDto } from '../contracts/stall.ts';
import type { Stall, StallTarget } from '../stalls/index.ts';

/** The API resource a stall's target names, as the `/api/v1/stalls` answer links it. */
export function stallLink(target: StallTarget | null): string | null {
  if (!target) return null;
  const id = encodeURIComponent(target.id);
  switch (target.resource) {
    case 'channel':
      return `/api/v1/channels/${id}`;
    case 'channel_sync_log':
      return `/api/v1/sync-log?channelId=${id}`;
    case 'order':
      return `/api/v1/orders/${id}`;
    case 'delivery_note':
      return `/api/v1/delivery-notes/${id}`;
    case 'packing_list':
      return `/api/v1/packing-lists/${id}`;
    case 'invoice':
      return `/api/v1/invoices/${id}`;
    case 'shipment':
      return `/api/v1/shipments/${id}`;
  }
}

/** A stall as the API shows it: the target turned into a link, the rest as it is. */
export function stallOut({ target, ...s }: Stall): StallDto {
  return { kind: s.kind, subjectType: s.subjectType, subjectId: s.subjectId, message: s.message, why: s.why, fix: s.fix, link: stallLink(target), since: s.since, storeDifference: s.storeDifference ?? null };
}

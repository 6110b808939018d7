import type { TemplateParam } from '../notify-settings.ts';

export interface WhatsappShipmentValues {
  customerName: string | null;
  orderNumber: string;
  courierName: string;
  awb: string | null;
  trackingUrl: string | null;
}

/**
 * The body variables of the channel's approved WhatsApp template, in the template's order. The
 * wording is Meta's approved template (in the channel's template language); only the values are
 * ours. WhatsApp refuses an empty parameter, hence "-".
 */
export function whatsappShipmentParams(params: TemplateParam[], v: WhatsappShipmentValues): string[] {
  const values: Record<TemplateParam, string | null> = {
    customer_name: v.customerName,
    order_number: v.orderNumber,
    courier: v.courierName,
    awb: v.awb,
    tracking_url: v.trackingUrl,
  };
  return params.map((p) => values[p]?.trim() || '-');
}

import { t } from './core-client.ts';

/** An order status in the admin's language; a status added to the core later shows as its code. */
export function statusLabel(status: string): string {
  const label = t(`status.${status}`);
  return label && label !== `status.${status}` ? label : status;
}

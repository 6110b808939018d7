import type { OutboxHandler } from '../db/outbox.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { confirmOrder } from './order-actions.ts';

/** The worker's table of outbox kinds. Handlers are tiny: a typed payload, one domain call. */
export const outboxHandlers: Record<string, OutboxHandler> = {
  'order.validate': async (tx, item) => {
    const orderId = String(item.payload.orderId);
    try {
      await confirmOrder(tx, item.tenantId, orderId);
    } catch (e) {
      // The operator (or a store cancellation) moved the order on before the worker got to it:
      // there is nothing left to validate, which is success, not a failure to retry.
      if (isDomainError(e) && (e.code === 'INVALID_STATE' || e.code === 'NOT_FOUND')) return;
      throw e;
    }
  },
};

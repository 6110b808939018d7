import { DomainError } from '../shared/domain-error.ts';

export const ROLES = ['operator', 'warehouse', 'logistics', 'finance', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'delivery_note.view',
  'delivery_note.create',
  'pick_list.view',
  'pick_list.view_all',
  'pick_list.create',
  'pick_list.pick',
  'pick_list.manual_tick',
  'pick_list.complete',
  'packing_list.view',
  'packing_list.pack',
  'stock.view',
  'stock_movement.view',
  'report.view',
  // Attaching a store to the tenant (the WooCommerce consent page): managers only.
  'channel.connect',
  'catalog.manage',
  'settings.manage',
  'order.view',
  'order.create',
  'client.manage',
  'stock.receive',
  'packing_list.override_scan',
  // Returns (issue 13): seeing them; starting, cancelling and settling them (money back); receiving the parcel and deciding the quarantine.
  'return.view',
  'return.manage',
  'return.receive',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Who may do what in the warehouse — the one table every UI and API check reads. A manual tick
 * (confirming a line without scanning it) bypasses the wrong-item guard, so only a manager may.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  operator: ['delivery_note.view', 'delivery_note.create', 'pick_list.view', 'pick_list.view_all', 'pick_list.create', 'packing_list.view', 'stock.view', 'stock_movement.view', 'report.view', 'catalog.manage', 'order.view', 'order.create', 'client.manage', 'stock.receive', 'return.view', 'return.manage', 'return.receive'],
  warehouse: ['delivery_note.view', 'pick_list.view', 'pick_list.pick', 'pick_list.complete', 'packing_list.view', 'packing_list.pack', 'stock.view', 'stock_movement.view', 'stock.receive', 'return.view', 'return.receive'],
  logistics: ['delivery_note.view', 'pick_list.view', 'pick_list.view_all', 'packing_list.view', 'packing_list.pack', 'stock.view', 'stock_movement.view', 'report.view', 'order.view', 'stock.receive', 'return.view', 'return.receive'],
  finance: ['delivery_note.view', 'pick_list.view', 'pick_list.view_all', 'packing_list.view', 'stock.view', 'stock_movement.view', 'report.view', 'order.view', 'return.view'],
  manager: [...ACTIONS],
};

export const can = (role: Role, action: Action): boolean => ROLE_PERMISSIONS[role].includes(action);

export function requirePermission(user: { role: Role; userId: string }, action: Action): void {
  if (!can(user.role, action)) {
    throw new DomainError('FORBIDDEN', `User ${user.userId} (role ${user.role}) may not ${action.replace('.', ': ').replace(/_/g, ' ')}.`, [
      { path: 'role', reason: `${user.role} lacks ${action}` },
    ]);
  }
}

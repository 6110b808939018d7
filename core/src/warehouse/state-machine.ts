import { DomainError } from '../shared/domain-error.ts';

/**
 * The shape shared by the warehouse documents' state machines: a table event → (from → to). Each
 * document keeps its own table in its own file; this only turns a missing entry into the error
 * that names the current and the requested status.
 */
export function makeTransition<S extends string, E extends string>(
  table: Record<E, Partial<Record<S, S>>>,
  target: Record<E, S>,
  noun: string,
) {
  return (current: S, event: E, ref = `The ${noun}`): S => {
    const next = table[event][current];
    if (!next) {
      throw new DomainError('INVALID_STATE', `${ref} is ${current}; it cannot move to ${target[event]} (${event}).`, [
        { path: 'status', reason: `${event} is not allowed from ${current}` },
      ]);
    }
    return next;
  };
}

import { describe, expect, it } from 'vitest';
import { parseStatusMapOut, shouldChangeWooStatus, wooStatusFor } from './status-map-out.ts';

describe('status_map_out', () => {
  it('defaults shipping to processing and delivered to completed; says nothing for other statuses', () => {
    expect(wooStatusFor('shipping', {})).toBe('processing');
    expect(wooStatusFor('delivered', {})).toBe('completed');
    expect(wooStatusFor('ready', {})).toBeNull();
  });

  it('lets the channel override, accepting the wc- prefix', () => {
    const { map, problem } = parseStatusMapOut({ delivered: 'wc-Delivered', shipping: 'shipped' });
    expect(problem).toBeNull();
    expect(wooStatusFor('delivered', map)).toBe('delivered');
    expect(wooStatusFor('shipping', map)).toBe('shipped');
  });

  it('ignores a malformed map and names the bad entry', () => {
    const { map, problem } = parseStatusMapOut({ teleported: 'x', delivered: 'not a slug!' });
    expect(map).toEqual({});
    expect(problem).toContain('status_map_out.');
  });

  it('never moves an order out of a final status, nor writes the status it already has', () => {
    expect(shouldChangeWooStatus('processing', 'completed')).toBe(true);
    expect(shouldChangeWooStatus('completed', 'processing')).toBe(false);
    expect(shouldChangeWooStatus('refunded', 'completed')).toBe(false);
    expect(shouldChangeWooStatus('processing', 'processing')).toBe(false);
    expect(shouldChangeWooStatus('processing', null)).toBe(false);
  });
});

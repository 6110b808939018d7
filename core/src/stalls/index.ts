/** The stalls area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { detectStalls, STALL_DETECTORS } from './detect-stalls.ts';
export { openOutboxStall, openStall, resolveStalls } from './record-stall.ts';
export type { Stall, StallTarget } from './stall.ts';

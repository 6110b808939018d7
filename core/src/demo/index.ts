/** The demo area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { seedDemo } from './seed-demo.ts';

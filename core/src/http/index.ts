/** The http area's one entry point: other areas, flows/, http/ and the worker import from here. */

// Exports (what other areas use; keep this list the public surface of the area).
export { createApp } from './app.ts';
export { serveApp } from './serve-app.ts';

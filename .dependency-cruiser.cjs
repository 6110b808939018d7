// The architecture's import rules (ARCHITECTURE.md), checked in `npm test`'s lint step:
//   an area is entered only through its index.ts; only flows/ (and the demo seed) combine areas; only http/ knows
//   HTTP; infrastructure (db/, shared/, contracts/) imports no area; the domain never imports the
//   edge or the worker.
const INFRA = 'db|shared|contracts';
const EDGE = 'http|flows|demo';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'area-through-its-index',
      comment: 'Another area is imported only through its index.ts (core/src/<area>/index.ts).',
      severity: 'error',
      from: { path: '^core/src/([^/]+)/' },
      to: {
        path: '^core/src/[^/]+/.+',
        pathNot: ['^core/src/$1/', `^core/src/(${INFRA})/`, '^core/src/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'areas-do-not-combine',
      comment: 'Areas do not import flows/ or http/: only flows/ combines areas, only http/ knows HTTP.',
      severity: 'error',
      // main.ts is the core process's entry: it starts the HTTP edge.
      from: { path: '^core/src/', pathNot: [`^core/src/(${EDGE})/`, '^core/src/main\\.ts$'] },
      to: { path: `^core/src/(${EDGE})/` },
    },
    {
      name: 'flows-do-not-know-http',
      severity: 'error',
      from: { path: '^core/src/flows/' },
      to: { path: '^core/src/http/' },
    },
    {
      name: 'infrastructure-imports-no-area',
      comment: 'db/, shared/ and contracts/ are used by every area and import none of them.',
      severity: 'error',
      from: { path: `^core/src/(${INFRA})/` },
      to: { path: '^core/src/', pathNot: `^core/src/(${INFRA})/` },
    },
    {
      name: 'only-http-knows-http',
      comment: 'hono and @hono/* are imported only under core/src/http/.',
      severity: 'error',
      from: { path: '^core/src/', pathNot: '^core/src/http/' },
      to: { path: '(^|/)node_modules/(hono|@hono)/' },
    },
    {
      name: 'outside-enters-core-through-indexes',
      comment: 'The worker and the benchmarks use the core through its area indexes (the package exports).',
      severity: 'error',
      from: { path: '^(worker|bench)/' },
      to: { path: '^core/src/.+', pathNot: ['^core/src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'apps-use-generated-contracts',
      comment: 'The Shopify app and the WooCommerce admin never import core internals: they use types generated from contracts/.',
      severity: 'error',
      from: { path: '^(shopify-app|woo-plugin|extensions)/' },
      to: { path: '^core/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^[a-z-]+/(build|dist|\\.react-router)/|\\.test\\.tsx?$' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};

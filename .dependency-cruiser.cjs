/**
 * The layering, checked in CI (`pnpm lint:deps`). Each rule names the direction it keeps.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle ties two modules into one: neither can change or be tested alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'web-only-contracts-and-api',
      severity: 'error',
      comment:
        'The dashboard speaks to the server over the wire: it may use the contracts and the API type, nothing else of ours.',
      from: { path: '^apps/web/' },
      to: { path: '^(apps/(?!web/)|packages/(?!contracts/|api/))' },
    },
    {
      name: 'web-api-types-only',
      severity: 'error',
      comment: 'The web app takes the router type from packages/api (`import type`), never its code.',
      from: { path: '^apps/web/' },
      to: { path: '^packages/api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'nothing-imports-an-app',
      severity: 'error',
      comment: 'Apps are the top of the house: packages and other apps never import one.',
      from: { path: '^(packages/|apps/([^/]+)/)' },
      to: { path: '^apps/', pathNot: '^apps/$2/' },
    },
    {
      name: 'engine-internals-stay-inside',
      severity: 'error',
      comment:
        'queries/, enrichment/ and scheduler/ use the engine through backfill/service.ts only; what they share with it (row decoders, NOTIFY channels) lives in packages/db.',
      // Tests may seed data through the engine's writer; the code under test may not lean on it.
      from: { path: '^apps/server/src/(queries|enrichment|scheduler)/', pathNot: '\\.test\\.ts$' },
      to: { path: '^apps/server/src/backfill/', pathNot: '^apps/server/src/backfill/service\\.ts$' },
    },
    {
      name: 'engine-takes-narrow-deps',
      severity: 'error',
      comment:
        'The engine is handed what it uses (backfill/engine-deps.ts and narrow shapes beside it), never the whole app context.',
      from: { path: '^apps/server/src/backfill/', pathNot: '\\.test\\.ts$' },
      to: { path: '^apps/server/src/context\\.ts$' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment:
        'An import that does not resolve (a package not declared in its package.json) would escape every rule above.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};

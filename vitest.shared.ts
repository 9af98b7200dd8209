/**
 * Resolve workspace packages to their TypeScript sources in tests, so packages test each other without a build.
 * `ssr.resolve.conditions` replaces Vite's defaults, so the defaults are re-added after ours.
 */
export const sourceConditions = ['@carerelay/source', 'module', 'node', 'development|production'];

/**
 * The test projects. `vitest.config.ts` imports this list as `test.projects`
 * (Vitest 4 no longer reads a workspace file by itself).
 */
export default ['packages/*', 'examples/*'];

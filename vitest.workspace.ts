/**
 * The test projects. `vitest.config.ts` imports this list as `test.projects`
 * (Vitest 4 no longer reads a workspace file by itself).
 *
 * `CARERELAY_PROJECTS` (comma-separated globs) narrows the list; the workspace test uses it to prove that this
 * file, and nothing else, decides which projects run.
 */
const projects: string[] = process.env.CARERELAY_PROJECTS?.split(',') ?? ['packages/*', 'examples/*'];
export default projects;

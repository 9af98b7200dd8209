import type { TestProject } from 'vitest/node';
import { startTestDatabase } from './support/embedded-database.ts';

/**
 * Starts one throw-away PostgreSQL for the whole test run (or uses `CARERELAY_TEST_DATABASE_URL`) and hands its
 * URL to the test files as `inject('databaseUrl')`. Each test file isolates itself in its own schema.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await startTestDatabase('fast');
  project.provide('databaseUrl', database.url);
  return async () => {
    await database.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test PostgreSQL server. */
    databaseUrl: string;
  }
}

import { CareRelayError } from '@carerelay/core';

/**
 * Wraps a failure of one adapter operation as a `CareRelayError` with code `adapter_failure`, a message prefixed
 * `sqlite: ` naming the operation, and the original error as `cause`. SQLite's messages name tables, columns
 * and constraints, never bound values, so no PHI reaches the message. A `CareRelayError` passes through.
 */
export function sqliteFailure(operation: string, error: unknown): CareRelayError {
  if (error instanceof CareRelayError) return error;
  const reason = error instanceof Error ? error.message : 'unknown failure';
  const hint = /no such table: carerelay_/.test(reason) ? ' (call migrate() first)' : '';
  return new CareRelayError('adapter_failure', `sqlite: ${operation} failed: ${reason}${hint}`, { cause: error });
}

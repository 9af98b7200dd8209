import { CareRelayError } from '@carerelay/core';

/** Longest driver message kept in an error (driver messages name ids and instants, never payloads). */
const MAX_DRIVER_MESSAGE = 200;

/**
 * Wraps a driver failure as `CareRelayError('adapter_failure')` with the message prefixed `postgres: ` and
 * the original error as `cause`. The SQLSTATE code is kept in the message for operators. A value that is
 * already a CareRelayError passes through unchanged.
 */
export function adapterFailure(operation: string, error: unknown): CareRelayError {
  if (error instanceof CareRelayError) return error;
  const driverMessage = error instanceof Error ? error.message.slice(0, MAX_DRIVER_MESSAGE) : 'unknown failure';
  const sqlState = sqlStateOf(error);
  const suffix = sqlState === undefined ? '' : ` [${sqlState}]`;
  return new CareRelayError('adapter_failure', `postgres: ${operation} failed: ${driverMessage}${suffix}`, { cause: error });
}

/** The PostgreSQL SQLSTATE of a driver error (e.g. `40P01`), if it has one. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

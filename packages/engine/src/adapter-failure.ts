import { CareRelayError } from '@carerelay/core';

/**
 * Wraps a failure thrown by a storage or channel adapter as one `CareRelayError` (code `adapter_failure`), its
 * message prefixed with the adapter's name (`sqlite: commitCase failed (SqliteError SQLITE_BUSY)`). The original
 * error is kept as `cause`; its message is not copied, since a driver's message may quote stored values.
 * A `CareRelayError` thrown by the adapter itself keeps its message (adapters write PHI-free messages).
 */
export function adapterFailure(adapter: string, operation: string, error: unknown): CareRelayError {
  if (error instanceof CareRelayError) {
    const message = error.message.startsWith(`${adapter}:`) ? error.message : `${adapter}: ${operation} failed: ${error.message}`;
    return new CareRelayError('adapter_failure', message, { cause: error, issues: error.issues });
  }
  const name = error instanceof Error ? error.name : typeof error;
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? ` ${error.code}` : '';
  return new CareRelayError('adapter_failure', `${adapter}: ${operation} failed (${name}${code})`, { cause: error });
}

/** Runs an adapter call, turning anything it throws into an `adapter_failure` {@link CareRelayError}. */
export async function callAdapter<T>(adapter: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw adapterFailure(adapter, operation, error);
  }
}

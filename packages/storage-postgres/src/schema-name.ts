import { createHash } from 'node:crypto';
import { CareRelayError } from '@carerelay/core';

/** PostgreSQL truncates identifiers longer than this many bytes; we refuse them instead. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Quotes an identifier for SQL text (`my"schema` → `"my""schema"`), so any schema name is safe to splice.
 * @throws CareRelayError `invalid_configuration` for an empty name, a NUL byte or more than 63 bytes.
 */
export function quoteIdentifier(name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > MAX_IDENTIFIER_BYTES || name.includes('\0')) {
    throw new CareRelayError('invalid_configuration', 'postgres: schema name must be 1–63 bytes without NUL characters', {
      issues: [{ path: 'schema', message: 'must be 1–63 bytes without NUL characters' }],
    });
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The LISTEN/NOTIFY channel of a schema: `<schema>.wake` when that fits in an identifier, else a stable
 * digest of the schema name. Channels are per database, so each schema gets its own.
 */
export function wakeChannelFor(schema: string): string {
  const readable = `${schema}.wake`;
  if (Buffer.byteLength(readable, 'utf8') <= MAX_IDENTIFIER_BYTES) return readable;
  return `carerelay_wake_${createHash('sha256').update(schema).digest('hex').slice(0, 32)}`;
}

/** A stable 64-bit advisory-lock key for migrating one schema (`pg_advisory_xact_lock`), as a decimal string. */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`carerelay.migrate:${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

import type { z } from 'zod';

/** Error codes shared by every CareRelay package. */
export type CareRelayErrorCode =
  | 'invalid_input'
  | 'invalid_configuration'
  | 'not_found'
  | 'conflict'
  | 'adapter_failure'
  | 'unauthorized'
  | 'unsupported'
  | 'internal';

/** One problem found in input: the path of the field and the reason. */
export interface Issue {
  /** Dotted path of the offending field, e.g. `rules.2.conditions.0.withinDays`; empty for the root. */
  path: string;
  /** Why it was rejected. Never contains the offending value (it may be PHI). */
  message: string;
}

/** The one error class of CareRelay. `code` says what kind of failure; `issues` name the fields. */
export class CareRelayError extends Error {
  override readonly name = 'CareRelayError';
  readonly code: CareRelayErrorCode;
  readonly issues: readonly Issue[];

  constructor(code: CareRelayErrorCode, message: string, options: { issues?: readonly Issue[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}

/** Normalises anything thrown into a {@link CareRelayError} (code `internal` unless it already is one). */
export function toCareRelayError(error: unknown): CareRelayError {
  if (error instanceof CareRelayError) return error;
  const message = error instanceof Error ? error.message : 'unknown failure';
  return new CareRelayError('internal', message, { cause: error });
}

/** Turns zod issues into CareRelay {@link Issue}s (path and reason, never the value). */
export function issuesFromZod(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** Formats issues as one line: `path: reason; path: reason`. */
export function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
}

/** A result that is either a value or a failure, for pure functions that must not throw. */
export type Result<T, E = CareRelayError> = { ok: true; value: T } | { ok: false; error: E };

/**
 * Parses `input` with `schema`, returning a {@link Result} whose error names every bad field.
 * @param what - what is being parsed, for the message (e.g. `event`, `rule pack`).
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: CareRelayErrorCode = 'invalid_input',
): Result<z.infer<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = issuesFromZod(parsed.error);
  return { ok: false, error: new CareRelayError(code, `invalid ${what}: ${describeIssues(issues)}`, { issues }) };
}

/** The five (or six) characters an HL7 v2 message uses to structure its text, read from MSH-1 and MSH-2. */
export interface Hl7Delimiters {
  /** MSH-1, usually `|`. */
  readonly field: string;
  /** MSH-2 first character, usually `^`. */
  readonly component: string;
  /** MSH-2 second character, usually `~`. */
  readonly repetition: string;
  /** MSH-2 third character, usually `\`. */
  readonly escape: string;
  /** MSH-2 fourth character, usually `&`. */
  readonly subcomponent: string;
  /** MSH-2 fifth character (v2.7+), usually `#`; absent before v2.7. */
  readonly truncation?: string;
}

/** The delimiters nearly every feed uses: `|^~\&`. */
export const DEFAULT_DELIMITERS: Hl7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** Why a delimiter set was refused (names MSH-1 or MSH-2, never message content). */
export interface DelimiterProblem {
  path: 'MSH-1' | 'MSH-2';
  message: string;
}

const isUsable = (c: string) => c.length === 1 && !/[A-Za-z0-9\r\n\s]/.test(c);

/**
 * Reads the delimiters from the start of a message (`MSH|^~\&|…`). Returns the delimiters or the problem:
 * every delimiter must be one printable, non-alphanumeric character, and all must differ.
 */
export function readDelimiters(text: string): Hl7Delimiters | DelimiterProblem {
  const field = text.charAt(3);
  if (!isUsable(field)) return { path: 'MSH-1', message: 'field separator missing or not a printable non-alphanumeric character' };
  const end = text.indexOf(field, 4);
  const lineEnd = text.slice(4).search(/[\r\n]/);
  const encoding = end === -1 || (lineEnd !== -1 && end > 4 + lineEnd) ? '' : text.slice(4, end);
  if (encoding.length < 4 || encoding.length > 5) return { path: 'MSH-2', message: 'expected 4 or 5 encoding characters' };
  const chars = [...encoding];
  if (!chars.every(isUsable)) return { path: 'MSH-2', message: 'encoding characters must be printable non-alphanumeric characters' };
  if (new Set([field, ...chars]).size !== chars.length + 1) return { path: 'MSH-2', message: 'encoding characters must all differ from each other and from MSH-1' };
  const [component, repetition, escape, subcomponent, truncation] = chars as [string, string, string, string, string | undefined];
  return truncation === undefined
    ? { field, component, repetition, escape, subcomponent }
    : { field, component, repetition, escape, subcomponent, truncation };
}

/** True when {@link readDelimiters} returned a problem rather than delimiters. */
export function isDelimiterProblem(value: Hl7Delimiters | DelimiterProblem): value is DelimiterProblem {
  return 'path' in value;
}

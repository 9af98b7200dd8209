/** Whether a message key was seen before, and with the same content. */
export type SeenVerdict = 'new' | 'duplicate' | 'conflict';

/**
 * Remembers which messages (tenant + sender + control id) were applied, with a fingerprint of their content, so a
 * retransmission is recognised. Bounded: the oldest keys are forgotten first.
 */
export interface SeenControlIds {
  /** `duplicate` when the key was applied with this fingerprint; `conflict` when with another; otherwise `new`. */
  check(key: string, fingerprint: string): SeenVerdict;
  /** Records an applied message. */
  remember(key: string, fingerprint: string): void;
  /** How many keys are remembered. */
  readonly size: number;
}

/** An in-memory {@link SeenControlIds} holding at most `max` keys (default 100,000). */
export function createSeenControlIds(options: { max?: number } = {}): SeenControlIds {
  const max = Math.max(1, options.max ?? 100_000);
  const seen = new Map<string, string>();
  return {
    check(key, fingerprint) {
      const known = seen.get(key);
      if (known === undefined) return 'new';
      return known === fingerprint ? 'duplicate' : 'conflict';
    },
    remember(key, fingerprint) {
      seen.delete(key);
      seen.set(key, fingerprint);
      while (seen.size > max) seen.delete(seen.keys().next().value as string);
    },
    get size() {
      return seen.size;
    },
  };
}

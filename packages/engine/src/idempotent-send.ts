import type { OutboundMessage, SendResult } from './channel.js';

/** Options of {@link idempotentSend}. */
export interface IdempotentSendOptions {
  /** Adapter name, prefixing the error of an unexpected throw (`email: unexpected failure`). */
  name: string;
  /** How many delivered idempotency keys to remember in this process (oldest forgotten first). */
  remember: number;
}

/**
 * Wraps a channel's transport call so that, within one process, a repeated `idempotencyKey` that was delivered is
 * answered from memory, concurrent sends of one key share one attempt, and an unexpected throw becomes a
 * PHI-free `retryable` result instead of an exception.
 */
export function idempotentSend(
  deliver: (message: OutboundMessage, idempotencyKey: string) => Promise<SendResult>,
  options: IdempotentSendOptions,
): (message: OutboundMessage, context: { idempotencyKey: string }) => Promise<SendResult> {
  const delivered = new Map<string, SendResult>();
  const inFlight = new Map<string, Promise<SendResult>>();
  return async (message, { idempotencyKey }) => {
    const known = delivered.get(idempotencyKey) ?? inFlight.get(idempotencyKey);
    if (known) return known;
    const pending = deliver(message, idempotencyKey).catch((): SendResult => ({ status: 'retryable', error: `${options.name}: unexpected failure` }));
    inFlight.set(idempotencyKey, pending);
    try {
      const result = await pending;
      if (result.status === 'delivered') {
        delivered.set(idempotencyKey, result);
        if (delivered.size > options.remember) delivered.delete(delivered.keys().next().value!);
      }
      return result;
    } finally {
      inFlight.delete(idempotencyKey);
    }
  };
}

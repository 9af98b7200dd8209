import type { Notification as PgNotification, Pool, PoolClient } from 'pg';
import type { CareRelayError } from '@carerelay/core';
import { adapterFailure } from './adapter-error.js';
import { quoteIdentifier } from './schema-name.js';

/** Called when work may have become due for the tenant sooner than the worker planned to look. */
export type WakeHandler = () => void;

/** Delay before re-establishing a lost LISTEN connection: 0.5 s doubling to 30 s. */
const retryDelayMs = (attempt: number) => Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));

/**
 * Holds one pooled connection LISTENing on the schema's wake channel while anybody is subscribed, and calls
 * the subscribers of the tenant named in each notification's payload. Wake-ups are hints: subscribers are also
 * called whenever the LISTEN is (re-)established, because notifications sent while it was not are lost.
 * A lost connection is re-established with backoff; failures go to `onError`.
 */
export class WakeListener {
  readonly #subscribers = new Map<string, Set<WakeHandler>>();
  readonly #pool: Pool;
  readonly #channel: string;
  readonly #onError: ((error: CareRelayError) => void) | undefined;
  #client: PoolClient | undefined;
  #connecting = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: Pool, channel: string, onError?: (error: CareRelayError) => void) {
    this.#pool = pool;
    this.#channel = channel;
    this.#onError = onError;
  }

  /** Subscribes `onWake` to the tenant's wake-ups; returns the function that unsubscribes it. */
  subscribe(tenantId: string, onWake: WakeHandler): () => void {
    if (this.#closed) return () => {};
    let handlers = this.#subscribers.get(tenantId);
    if (!handlers) this.#subscribers.set(tenantId, (handlers = new Set()));
    // A fresh wrapper per subscription, so subscribing one function twice needs two unsubscribes.
    const handler: WakeHandler = () => onWake();
    handlers.add(handler);
    this.#ensureListening();
    return () => {
      const current = this.#subscribers.get(tenantId);
      current?.delete(handler);
      if (current?.size === 0) this.#subscribers.delete(tenantId);
      if (this.#subscribers.size === 0) this.#stopListening();
    };
  }

  /** Stops listening for good and forgets every subscriber. */
  close(): void {
    this.#closed = true;
    this.#subscribers.clear();
    this.#stopListening();
  }

  #ensureListening(): void {
    if (this.#client || this.#connecting || this.#retry || this.#closed || this.#subscribers.size === 0) return;
    this.#connecting = true;
    void this.#listen().finally(() => {
      this.#connecting = false;
    });
  }

  async #listen(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.#pool.connect();
      const connected = client;
      connected.on('notification', this.#dispatch);
      connected.on('error', (error) => this.#lost(connected, error));
      connected.on('end', () => this.#lost(connected, new Error('connection ended')));
      await connected.query(`LISTEN ${quoteIdentifier(this.#channel)}`);
      if (this.#closed || this.#subscribers.size === 0) {
        this.#releaseClient(connected);
        return;
      }
      this.#client = connected;
      this.#failures = 0;
      this.#wakeAll();
    } catch (error) {
      if (client) this.#releaseClient(client, error);
      this.#report(error);
      this.#scheduleRetry();
    }
  }

  readonly #dispatch = (message: PgNotification): void => {
    if (message.channel !== this.#channel || message.payload === undefined) return;
    const handlers = this.#subscribers.get(message.payload);
    if (!handlers) return;
    for (const handler of [...handlers]) this.#call(handler);
  };

  #wakeAll(): void {
    for (const handlers of [...this.#subscribers.values()]) for (const handler of [...handlers]) this.#call(handler);
  }

  #call(handler: WakeHandler): void {
    try {
      handler();
    } catch (error) {
      this.#report(error);
    }
  }

  #lost(client: PoolClient, error: unknown): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#releaseClient(client, error);
    if (this.#closed) return;
    this.#report(error);
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#retry || this.#subscribers.size === 0) return;
    const delay = retryDelayMs(this.#failures);
    this.#failures += 1;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#ensureListening();
    }, delay);
    this.#retry.unref();
  }

  #stopListening(): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (client) this.#releaseClient(client);
  }

  /** The LISTEN connection is never handed back for reuse: it is closed, which also ends the LISTEN. */
  #releaseClient(client: PoolClient, error?: unknown): void {
    client.removeListener('notification', this.#dispatch);
    try {
      client.release(error instanceof Error ? error : true);
    } catch {
      // Already released (a lost connection reports both `error` and `end`).
    }
  }

  #report(error: unknown): void {
    this.#onError?.(adapterFailure('listen for wake-ups', error));
  }
}

import type { ClientBase, Notification as PgNotification } from 'pg';
import type { CareRelayError } from '@carerelay/core';
import { adapterFailure } from './adapter-error.js';
import { quoteIdentifier } from './schema-name.js';

/** Called when work may have become due for the tenant sooner than the worker planned to look. */
export type WakeHandler = () => void;

/** A connection for LISTEN and how to give it up (closing it: a LISTEN connection is never reused). */
export interface ListenConnection {
  client: ClientBase;
  release(error?: Error): void;
}

/** Delay before re-establishing a lost LISTEN connection: 0.5 s doubling to 30 s. */
const retryDelayMs = (attempt: number) => Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));

/**
 * Holds one connection LISTENing on the schema's wake channel while anybody is subscribed, and calls
 * the subscribers of the tenant named in each notification's payload. Wake-ups are hints: subscribers are also
 * called whenever the LISTEN is (re-)established, because notifications sent while it was not are lost.
 * A lost connection is re-established with backoff; failures go to `onError`.
 */
export class WakeListener {
  readonly #subscribers = new Map<string, Set<WakeHandler>>();
  readonly #connect: () => Promise<ListenConnection>;
  readonly #channel: string;
  readonly #onError: ((error: CareRelayError) => void) | undefined;
  #connection: ListenConnection | undefined;
  #connecting = false;
  #failures = 0;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(connect: () => Promise<ListenConnection>, channel: string, onError?: (error: CareRelayError) => void) {
    this.#connect = connect;
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
    if (this.#connection || this.#connecting || this.#retry || this.#closed || this.#subscribers.size === 0) return;
    this.#connecting = true;
    void this.#listen().finally(() => {
      this.#connecting = false;
    });
  }

  async #listen(): Promise<void> {
    let connection: ListenConnection | undefined;
    try {
      connection = await this.#connect();
      const current = connection;
      current.client.on('notification', this.#dispatch);
      current.client.on('error', (error) => this.#lost(current, error));
      current.client.on('end', () => this.#lost(current, new Error('connection ended')));
      await current.client.query(`LISTEN ${quoteIdentifier(this.#channel)}`);
      if (this.#closed || this.#subscribers.size === 0) {
        this.#release(current);
        return;
      }
      this.#connection = current;
      this.#failures = 0;
      this.#wakeAll();
    } catch (error) {
      if (connection) this.#release(connection, error);
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

  #lost(connection: ListenConnection, error: unknown): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    this.#release(connection, error);
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
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) this.#release(connection);
  }

  #release(connection: ListenConnection, error?: unknown): void {
    connection.client.removeListener('notification', this.#dispatch);
    try {
      connection.release(error instanceof Error ? error : undefined);
    } catch {
      // Already released (a lost connection reports both `error` and `end`).
    }
  }

  #report(error: unknown): void {
    this.#onError?.(adapterFailure('listen for wake-ups', error));
  }
}

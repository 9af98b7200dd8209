import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CareRelayError } from '@carerelay/core';

/**
 * Where a REST pull keeps its place: the `_lastUpdated` reached per tenant, server and resource type.
 * Implement it over the vendor's own database to share checkpoints between processes.
 */
export interface CheckpointStore {
  /** The checkpoint stored under `key`, or undefined before the first pull. */
  get(key: string): Promise<string | undefined>;
  /** Stores a checkpoint; must be durable when the promise resolves. */
  set(key: string, value: string): Promise<void>;
}

/** Checkpoints in memory: the zero-configuration default (a restart pulls everything again; event ids dedupe). */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

/**
 * Checkpoints in one JSON file (`{ "key": "checkpoint" }`), written atomically (temporary file, then rename) so a
 * crash leaves the old or the new file, never half of one. One process per file.
 */
export class JsonFileCheckpointStore implements CheckpointStore {
  private cache: Record<string, string> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return (this.cache = {});
      throw new CareRelayError('adapter_failure', 'checkpoint file cannot be read', { cause: error });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) throw new Error('not an object of strings');
      return (this.cache = { ...(parsed as Record<string, string>) });
    } catch (cause) {
      // A corrupt file is reported rather than silently reset (which would re-pull everything).
      throw new CareRelayError('adapter_failure', 'checkpoint file is not a JSON object of strings', { cause });
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.load())[key];
  }

  async set(key: string, value: string): Promise<void> {
    const values = await this.load();
    values[key] = value;
    const snapshot = JSON.stringify(values, null, 2);
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, snapshot, 'utf8');
      await rename(temporary, this.path);
    });
    this.writing = write.catch(() => undefined);
    await write;
  }
}

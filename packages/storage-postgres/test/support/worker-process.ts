import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WorkerConfig } from '../workers/coordinator-worker.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Bundles `test/workers/coordinator-worker.ts` with the workspace sources (and pg) into one CommonJS file, so a
 * worker process starts in about 0.3 s with plain `node` instead of 2 s through a TypeScript loader — the crash
 * test starts one per kill. Returns the bundle's path (in a fresh temp directory).
 */
export async function bundleWorker(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carerelay-pg-worker-'));
  const outfile = path.join(dir, 'coordinator-worker.cjs');
  await build({
    entryPoints: [path.join(here, '../workers/coordinator-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['@carerelay/source'],
    external: ['pg-native'],
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

/** A running worker process and what it printed. */
export interface WorkerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed) and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the worker printed `line` (rejects if it exits first). */
  printed(line: string): Promise<void>;
  /** Sends a line on its stdin (ignored once it has exited). */
  send(line: string): void;
}

/** Starts a bundled worker with its configuration. */
export function startWorker(bundle: string, config: WorkerConfig): WorkerProcess {
  const child = spawn(process.execPath, [bundle, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdin!.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let gone = false;
  void exited.then(() => (gone = true), () => (gone = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    printed(line) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (out.split('\n').includes(line)) {
            child.stdout!.off('data', check);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        check();
        void exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before printing ${line}: ${err.slice(-2000)}`)));
      });
    },
    send(line) {
      if (!gone && child.stdin!.writable) child.stdin!.write(`${line}\n`);
    },
  };
}

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

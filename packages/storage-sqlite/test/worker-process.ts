import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, where `tsx` is installed. */
export const REPO_ROOT = path.resolve(here, '../../..');

/**
 * Starts `test/workers/<name>.ts` in a child Node process that resolves workspace packages to their sources,
 * as a user's service would run the built ones.
 */
export function spawnWorker(name: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@carerelay/source', path.join(here, 'workers', `${name}.ts`), ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Waits for a child to exit; resolves with its exit code (or null when killed), stdout and stderr. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Resolves once the child has printed `line` on stdout (rejects if it exits first). */
export function printed(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before printing ${line}`)));
  });
}

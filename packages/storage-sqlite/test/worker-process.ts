import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, where `tsx` is installed. */
export const REPO_ROOT = path.resolve(here, '../../..');

/**
 * Starts `test/workers/<name>.ts` in a child Node process that resolves workspace packages to their sources,
 * as a user's service would run the built ones.
 */
export function spawnWorker(name: string, args: readonly string[]): ChildProcess {
  return spawnTypeScript(path.join(here, 'workers', `${name}.ts`), args);
}

/** Runs a TypeScript file of this package's tests in a child Node process (through tsx, sources resolved). */
export function spawnTypeScript(file: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', '--conditions=@carerelay/source', file, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Bundles `test/workers/<name>.ts` (and the workspace sources it imports) into one ES module in `outDir`, as a
 * vendor ships a built service: a restart then costs ~0.1 s of CPU instead of ~0.5 s of on-the-fly transpiling,
 * which is what lets the crash test restart a worker dozens of times within its time budget. better-sqlite3
 * stays external (native), resolved to its absolute path so the bundle runs from any directory.
 */
export async function bundleWorker(name: string, outDir: string): Promise<string> {
  const require = createRequire(import.meta.url);
  await build({
    entry: { [name]: path.join(here, 'workers', `${name}.ts`) },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    noExternal: [/.*/],
    esbuildPlugins: [
      {
        name: 'native-better-sqlite3',
        setup(builder) {
          builder.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: require.resolve('better-sqlite3'), external: true }));
        },
      },
    ],
    esbuildOptions(options) {
      options.conditions = ['@carerelay/source'];
      // Bundled CommonJS dependencies call require() for Node built-ins.
      options.banner = { js: "import { createRequire as carerelayRequire } from 'node:module'; const require = carerelayRequire(import.meta.url);" };
    },
    config: false,
    silent: true,
    dts: false,
    sourcemap: false,
    splitting: false,
    clean: false,
    treeshake: false,
  });
  return path.join(outDir, `${name}.js`);
}

/** Starts a bundled worker (see {@link bundleWorker}). */
export function spawnBundled(bundle: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [bundle, ...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
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

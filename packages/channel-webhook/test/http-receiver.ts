import { type IncomingHttpHeaders, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, as it arrived. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Header lines exactly as sent (name, value, name, value…). */
  rawHeaders: string[];
  body: string;
}

/** How the receiver answers a path: a status with headers, or `hang` (never answer). */
export type Behaviour = { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP listener (node:http) on 127.0.0.1 and a random port that records every request. */
export interface HttpReceiver {
  url(path: string): string;
  requests: ReceivedRequest[];
  /** Sets how `path` answers from now on (default 204). */
  on(path: string, behaviour: Behaviour): void;
  close(): Promise<void>;
}

/** Starts a receiver; stop it with `close()`. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const behaviours = new Map<string, Behaviour>();
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      const behaviour = behaviours.get(path) ?? { status: 204 };
      if (behaviour === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(behaviour.status, behaviour.headers);
      res.end(behaviour.status === 204 ? undefined : 'receiver body (never echoed by the channel)');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    on: (path, behaviour) => void behaviours.set(path, behaviour),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// A misbehaving BioCore for the client's tests: a real HTTP server on 127.0.0.1 whose behaviour
// each test scripts, counting and keeping every request it receives. Never used by the app.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** `hit` is 1 for the first request the server receives. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number, body: string) => void | Promise<void>;

export interface MisbehavingServer {
  url: string;
  readonly hits: number;
  requests: ReceivedRequest[];
  /** Change what the server does from the next request on. */
  behave(next: Behaviour): void;
  close(): Promise<void>;
}

export async function startServer(initial: Behaviour): Promise<MisbehavingServer> {
  let behaviour = initial;
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      Promise.resolve(behaviour(req, res, requests.length, body)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() {
      return requests.length;
    },
    requests,
    behave: (next) => {
      behaviour = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

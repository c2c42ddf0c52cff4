// A BioCore whose answers take as long as the scenario says: slow enough, the worker is holding
// claimed jobs when the product is told to stop. Answers come from the reference engine.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { recommend } from "@/lib/biocore/reference";

export type FakeBiocore = {
  url: string;
  recommendCalls: () => number;
  setDelayMs: (ms: number) => void;
  close: () => Promise<void>;
};

export async function startFakeBiocore(delayMs: number): Promise<FakeBiocore> {
  let delay = delayMs;
  let calls = 0;
  const waiting = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const json = (body: unknown) =>
        res
          .writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" })
          .end(JSON.stringify(body));
      if (req.url?.endsWith("/health")) return json({ status: "ok", checked_at_utc: new Date().toISOString() });
      if (req.url?.endsWith("/version"))
        return json({ name: "fake", version: "1", model_version: "m1", feature_set_version: "f1", policy_id: "p1" });
      calls++;
      const answer = recommend(JSON.parse(Buffer.concat(chunks).toString() || "{}"), { now: new Date() });
      waiting.add(res);
      const timer = setTimeout(() => {
        waiting.delete(res);
        json(answer);
      }, delay);
      res.on("close", () => {
        clearTimeout(timer);
        waiting.delete(res);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    recommendCalls: () => calls,
    setDelayMs: (ms) => {
      delay = ms;
    },
    close: async () => {
      for (const res of waiting) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

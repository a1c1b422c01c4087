/**
 * The operator's HTTP endpoint: /metrics (Prometheus), /healthz (200 while the loop is healthy, 503 while the RPC
 * has been failing), /trees/<epoch>/<root> (this worker's trees, so that others can challenge a wrong root:
 * the contract keeps only roots, see docs/WORKER.md "Data availability") and /signatures/<epoch>/<round> (this
 * worker's BLS signature of the root it replayed, which aggregators gather).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Hex } from "viem";
import type { WorkerMetrics } from "./metrics.js";
import type { TreeDump } from "../chain/tree.js";
import type { SignedRoot } from "./signatures.js";

export interface Health {
  ok: boolean;
  [key: string]: unknown;
}

export interface ServerSources {
  metrics: WorkerMetrics;
  health: () => Health;
  tree: (epoch: bigint, root: Hex) => TreeDump | undefined;
  /** This worker's signature of an epoch's root in a round (for aggregators). */
  signature: (epoch: bigint, round: bigint) => SignedRoot | undefined;
}

export async function startServer(port: number, host: string, sources: ServerSources): Promise<{
  port: number;
  close: () => Promise<void>;
}> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const send = (status: number, type: string, body: string) => {
      // Public data: any page may read it (a player's page fetches trees to check its own runs).
      res.writeHead(status, { "content-type": type, "access-control-allow-origin": "*" });
      res.end(body);
    };
    if (req.method !== "GET") return send(405, "text/plain", "GET only\n");
    if (url.pathname === "/metrics") {
      sources.metrics.registry
        .metrics()
        .then((text) => send(200, sources.metrics.registry.contentType, text))
        .catch((e: unknown) => send(500, "text/plain", String(e)));
      return;
    }
    if (url.pathname === "/healthz") {
      const h = sources.health();
      return send(h.ok ? 200 : 503, "application/json", JSON.stringify(h));
    }
    const m = /^\/trees\/(\d+)\/(0x[0-9a-fA-F]{64})$/.exec(url.pathname);
    if (m !== null) {
      const dump = sources.tree(BigInt(m[1]!), m[2]! as Hex);
      return dump === undefined
        ? send(404, "application/json", '{"error":"no such tree"}')
        : send(200, "application/json", JSON.stringify(dump));
    }
    const sig = /^\/signatures\/(\d+)\/(\d+)$/.exec(url.pathname);
    if (sig !== null) {
      const signed = sources.signature(BigInt(sig[1]!), BigInt(sig[2]!));
      return signed === undefined
        ? send(404, "application/json", '{"error":"no signature"}')
        : send(200, "application/json", JSON.stringify(signed));
    }
    send(404, "text/plain", "not found: /metrics, /healthz, /trees/<epoch>/<root>, /signatures/<epoch>/<round>\n");
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

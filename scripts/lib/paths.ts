/** Where things are: the repository root and the client's production build. */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLIENT_DIST = join(ROOT, "dist", "client");

/** A devnet's own folder (logs, PID files, the indexer's database), one per chain port: two devnets never share one. */
export function devnetDir(rpcPort: number): string {
  return join(ROOT, ".devnet", String(rpcPort));
}

/** Where the devnet writes worker `n`'s (1-based) current process id; rewritten at each restart. */
export function workerPidFile(rpcPort: number, n: number): string {
  return join(devnetDir(rpcPort), `worker-${n}.pid`);
}

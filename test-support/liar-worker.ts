/**
 * A lying worker for the tests (not a product feature, so it lives outside game/ and outside test/, whose files
 * Hardhat's runner would load as tests): the real worker library with tamper hooks. It attests the wrong root (or
 * total, or run count: the count it signs is its tree's), serves its tree on /trees like any worker (every leaf's
 * position, run and gold, so that it can be opened), and otherwise behaves like an honest node. Same flags as
 * `npm run worker`. Its tree's leaves are the honest ones in run-id order; what it lies about, by SURGE_LIAR:
 * - unset or "gold": adds 1,000 to the gold of the first leaf of every epoch (WrongLeaf);
 * - "gold:<runId>": adds 1,000 to the gold of that run's leaf only (a player's own run);
 * - "total": attests its honest tree with a total of 10x the tree's top sum plus 1,000 (a lie even when no run of
 *   the epoch found gold, which happens on some seeds: 10 x 0 would be the honest total) (WrongTotal);
 * - "omit": leaves out the middle run of an epoch of two or more, attesting one run fewer (Omitted);
 * - "omit:<runId>": leaves out that run (a player's own run);
 * - "duplicate": repeats the first leaf right after itself, attesting one run more (Unordered);
 * - "swap": swaps the first two leaves of an epoch of two or more (Unordered);
 * - "invent": adds, last, a leaf of 1,000 gold for a run id above every submitted one, never submitted, attesting
 *   one run more (Invented).
 */
import type { TreeLeaf } from "../game/chain/tree.js";
import { loadConfig, runWorker, createLogger, ConfigError } from "../game/worker/index.js";

export const LIAR_MODES = ["gold", "total", "omit", "duplicate", "swap", "invent"] as const;

/** The leaves (in tree order) as the liar of `mode` publishes them; positions are renumbered after. */
function tamper(mode: string, leaves: TreeLeaf[]): void {
  const [kind, arg] = mode.split(":") as [string, string | undefined];
  const target = arg === undefined ? undefined : BigInt(arg);
  switch (kind) {
    case "gold": {
      const leaf = target === undefined ? leaves[0] : leaves.find((l) => l.runId === target);
      if (leaf !== undefined) leaf.gold += 1_000n;
      return;
    }
    case "omit": {
      const at = target === undefined ? (leaves.length >= 2 ? Math.floor(leaves.length / 2) : -1) : leaves.findIndex((l) => l.runId === target);
      if (at >= 0 && leaves.length >= 2) leaves.splice(at, 1);
      return;
    }
    case "duplicate":
      if (leaves.length >= 1) leaves.splice(1, 0, { ...leaves[0]! });
      return;
    case "swap":
      if (leaves.length >= 2) [leaves[0], leaves[1]] = [leaves[1]!, leaves[0]!];
      return;
    case "invent": {
      const top = leaves.reduce((m, l) => (l.runId > m ? l.runId : m), 0n);
      leaves.push({ index: BigInt(leaves.length), runId: top + 1n, gold: 1_000n });
      return;
    }
    default:
      throw new ConfigError(`SURGE_LIAR=${mode}: one of ${LIAR_MODES.join(", ")} (gold and omit may name a run: gold:<runId>)`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2));
  const mode = process.env.SURGE_LIAR ?? "gold";
  const log = createLogger(config.logLevel).child({ liar: mode });
  if (mode !== "total") tamper(mode, []); // an unknown mode fails now, not at the first epoch
  const worker = await runWorker(
    config,
    log,
    mode === "total"
      ? { tamperTotal: (_epoch, total) => total * 10n + 1_000n }
      : { tamper: (_epoch, leaves) => tamper(mode, leaves) },
  );
  const shutdown = () => void worker.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await worker.done;
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});

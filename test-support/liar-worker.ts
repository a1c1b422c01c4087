/**
 * A lying worker for the tests (not a product feature, so it lives outside game/ and outside test/, whose files
 * Hardhat's runner would load as tests): the real worker library with tamper hooks. It attests the wrong root (or
 * total), serves its tree on /trees like any worker, and otherwise behaves like an honest node. Same flags as
 * `npm run worker`. What it lies about, by SURGE_LIAR:
 * - unset or "gold": adds 1,000 to the gold of the first leaf of every epoch;
 * - "gold:<runId>": adds 1,000 to the gold of that run's leaf only (a player's own run);
 * - "total": attests its honest tree with a total of 10x the tree's top sum plus 1,000 (a lie even when no run of
 *   the epoch found gold, which happens on some seeds: 10 x 0 would be the honest total).
 */
import { loadConfig, runWorker, createLogger, ConfigError } from "../game/worker/index.js";

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2));
  const mode = process.env.SURGE_LIAR ?? "gold";
  const log = createLogger(config.logLevel).child({ liar: mode });
  const target = mode.startsWith("gold:") ? BigInt(mode.slice(5)) : undefined;
  const worker = await runWorker(
    config,
    log,
    mode === "total"
      ? { tamperTotal: (_epoch, total) => total * 10n + 1_000n }
      : {
          tamper: (_epoch, leaves) => {
            const leaf = target === undefined ? leaves[0] : leaves.find((l) => l.runId === target);
            if (leaf !== undefined) leaf.gold += 1_000n;
          },
        },
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

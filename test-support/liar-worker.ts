/**
 * A lying worker for the tests (not a product feature, so it lives outside game/ and outside test/, whose files
 * Hardhat's runner would load as tests): the real worker library with a tamper hook that adds 1,000 to the gold of
 * the first leaf of every epoch before the tree is built. It attests that wrong root, serves its tree on /trees
 * like any worker, and otherwise behaves like an honest node. Same flags as `npm run worker`.
 */
import { loadConfig, runWorker, createLogger, ConfigError } from "../game/worker/index.js";

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2));
  const log = createLogger(config.logLevel).child({ liar: true });
  const worker = await runWorker(config, log, {
    tamper: (_epoch, leaves) => {
      const first = leaves[0];
      if (first !== undefined) first[3] += 1_000n;
    },
  });
  const shutdown = () => void worker.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  await worker.done;
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});

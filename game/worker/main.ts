/**
 * `npm run worker -- [run|leave|withdraw|status] --rpc URL --key 0x… [options]` (or the SURGE_* environment
 * variables): the DePIN worker node. See docs/WORKER.md.
 */
import { connect } from "./chain.js";
import { ConfigError, loadConfig, usage } from "./config.js";
import { createLogger, runWorker } from "./index.js";
import { leave, status, withdraw } from "./operator.js";

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    console.log(usage());
    return;
  }
  const config = loadConfig(process.argv.slice(2));
  const log = createLogger(config.logLevel);
  if (config.command === "run") {
    const worker = await runWorker(config, log);
    const shutdown = (signal: string) => {
      log.info({ signal }, "stopping");
      worker.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          log.error({ err: (e as Error).message }, "error while stopping");
          process.exit(1);
        },
      );
    };
    // Under a supervisor that says so (the devnet), exit with it: a supervisor killed outright leaves no orphan.
    const parent = Number(process.env.SURGE_PARENT_PID ?? 0);
    if (parent > 0) {
      setInterval(() => {
        if (process.ppid !== parent) shutdown("parent exited");
      }, 1_000).unref();
    }
    process.once("SIGINT", () => shutdown("SIGINT"));
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    await worker.done;
    return;
  }
  const ctx = await connect(config);
  if (config.command === "leave") await leave(ctx, log);
  else if (config.command === "withdraw") await withdraw(ctx, log);
  else console.log(JSON.stringify(await status(ctx), null, 2));
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    console.error(`error: ${e.message}`);
    process.exit(2);
  }
  if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
    console.error(`error: ${(e as Error).message}: choose another --metrics-port (0 turns the server off)`);
    process.exit(2);
  }
  console.error(`error: ${e instanceof Error ? ((e as Error & { shortMessage?: string }).shortMessage ?? e.message) : String(e)}`);
  process.exit(1);
});

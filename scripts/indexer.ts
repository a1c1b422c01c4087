/**
 * `npm run indexer -- --deployment FILE`: the indexer (game/indexer, Ponder) for any network of Surge Gold.
 *
 * Options: --deployment FILE (required; public/deployments/<chainId>.json), --rpc URL (or SURGE_RPC_URL; default
 * http://127.0.0.1:8545 for a local chain), --port (42069; PORT), --db-dir DIR (the embedded PGlite's folder;
 * default .indexer/<chainId>), --database-url URL (or DATABASE_URL: Postgres instead of PGlite), --schema NAME
 * (surge), --poll-ms (1000), --log-level (info). It checks the RPC answers with the deployment's chain id, then runs
 * Ponder, which backfills from the deployment's start block, follows the head and serves /healthz, /api/*,
 * /graphql and /sql/*. It restarts where it stopped (same database, schema and code). Ctrl+C stops it cleanly.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readDeploymentFile, SettingsError } from "../game/indexer/lib/settings.js";
import { indexerHealth, spawnIndexer } from "../game/indexer/lib/process.js";
import { fail } from "./lib/cli.js";
import { ROOT } from "./lib/deploy.js";
import { rpc } from "./lib/node.js";

function options() {
  try {
    return parseArgs({
      options: {
        deployment: { type: "string" },
        rpc: { type: "string", default: process.env.SURGE_RPC_URL },
        port: { type: "string", default: process.env.PORT ?? "42069" },
        "db-dir": { type: "string" },
        "database-url": { type: "string", default: process.env.DATABASE_URL },
        schema: { type: "string", default: "surge" },
        "poll-ms": { type: "string", default: "1000" },
        "log-level": { type: "string", default: "info" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message} (npm run indexer -- --help lists the options)`);
  }
}

const HELP = `npm run indexer -- --deployment FILE [--rpc URL] [--port 42069] [--db-dir DIR | --database-url postgres://…]
                    [--schema surge] [--poll-ms 1000] [--log-level info]
Indexes a Surge Gold deployment into PGlite (embedded, default) or Postgres (--database-url or DATABASE_URL) and
serves the client's queries on http://127.0.0.1:PORT (/healthz, /api/leaderboard, /graphql, /sql/*).`;

async function main() {
  const o = options();
  if (o.help) {
    console.log(HELP);
    return;
  }
  if (!o.deployment) fail("--deployment FILE is required (a deployment file such as public/deployments/31337.json)");
  let deployment;
  try {
    deployment = readDeploymentFile(o.deployment);
  } catch (e) {
    if (e instanceof SettingsError) fail(e.message);
    throw e;
  }
  const local = deployment.chainId === 31337 || deployment.chainId === 1337;
  const url = o.rpc || (local ? "http://127.0.0.1:8545" : undefined);
  if (!url) fail(`--rpc URL is required for chain ${deployment.chainId} (or set SURGE_RPC_URL)`);
  if (!/^https?:\/\//.test(url)) fail(`--rpc must be an http:// or https:// URL, got "${url}"`);
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) fail(`--port must be a port number (1-65535), got "${o.port}"`);
  const pollMs = Number(o["poll-ms"]);
  if (!Number.isInteger(pollMs) || pollMs < 50) fail(`--poll-ms must be a whole number of ms, at least 50`);
  if (!/^[a-z_][a-z0-9_]{0,44}$/.test(o.schema)) fail(`--schema must be a lower-case SQL name of at most 45 characters`);
  if (!["error", "warn", "info", "debug"].includes(o["log-level"])) fail("--log-level must be error, warn, info or debug");
  const databaseUrl = o["database-url"] || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    fail("--database-url must be a postgres:// or postgresql:// connection string");
  }
  let chainId: number;
  try {
    chainId = Number(await rpc<string>(url, "eth_chainId"));
  } catch (e) {
    return fail(`cannot reach the RPC endpoint ${url}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (chainId !== deployment.chainId) fail(`${url} is chain ${chainId}, but ${o.deployment} describes chain ${deployment.chainId}`);

  const dbDir = o["db-dir"] ?? join(ROOT, ".indexer", String(deployment.chainId));
  console.log(
    `indexer: chain ${chainId} at ${url}, from block ${deployment.startBlock}; database: ${databaseUrl ? "Postgres (DATABASE_URL)" : `PGlite in ${dbDir}`}; ` +
      `http://127.0.0.1:${port}/healthz`,
  );
  const indexer = spawnIndexer({
    deploymentFile: o.deployment,
    rpc: url,
    port,
    dbDir,
    databaseUrl,
    schema: o.schema,
    pollMs,
    logLevel: o["log-level"] as "info",
  });
  indexer.child.stdout!.pipe(process.stdout);
  indexer.child.stderr!.pipe(process.stderr);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void indexer.stop("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  // The devnet sets SURGE_PARENT_PID: if it dies without stopping us, stop too.
  const parent = Number(process.env.SURGE_PARENT_PID ?? 0);
  if (parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        stop();
      }
    }, 2_000).unref();
  }
  // One line when the backfill is done, for operators reading the log.
  const announce = setInterval(() => {
    void indexerHealth(indexer.url).then((h) => {
      if (h?.ready) {
        console.log(`indexer: ready; indexed block ${h.indexed} of ${h.head} (lag ${h.lagBlocks})`);
        clearInterval(announce);
      }
    });
  }, 1_000);
  const code = await indexer.exited;
  clearInterval(announce);
  process.exit(stopping ? 0 : (code ?? 1));
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message.split("\n")[0]! : String(e), 1));

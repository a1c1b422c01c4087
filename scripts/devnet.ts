/**
 * `npm start`: the whole network on one machine.
 *
 * 1. checks that the RPC, web and metrics ports are free; builds the contracts if missing, and the client if its
 *    build is missing or older than its sources
 * 2. starts `hardhat node` on 127.0.0.1 (a block every second, and every transaction mined at once)
 * 3. deploys Symbiotic's own contracts (factories, registries, a WETH vault with its delegator and slasher, a network
 *    and an operator opted in; 2-minute epochs), then Surge Gold with the Ignition module's development parameters
 *    (5-block epochs, 3-block challenge window) restaking into that vault, and writes public/deployments/31337.json
 *    (and the copy the served build reads)
 * 4. starts three worker nodes as separate processes (Hardhat accounts 1-3, bonding 1 sgETH each on first start),
 *    logs in .devnet/<chain port>/worker-N.log, process ids in .devnet/<chain port>/worker-N.pid, metrics and
 *    /healthz on ports 9101-9103; each exits by itself if this process dies without stopping it (SURGE_PARENT_PID).
 *    A worker that exits on its own (a crash, a SIGKILL) is started again with a backoff (2 s, doubling, at most
 *    30 s; back to 2 s after a healthy minute), and the output says so (scripts/lib/keep-alive.ts)
 * 4b. starts the indexer (game/indexer, Ponder on an embedded PGlite in .devnet/<chain port>/indexer, wiped at each
 *    start like the chain) on --indexer-port (42069), log in .devnet/<chain port>/indexer.log; the deployment file
 *    says where it answers (`indexer`), so the page reads history from it; its health (/healthz) is printed when
 *    it is ready and whenever it stops answering or recovers
 * 5. serves the production build of the client (vite preview) and prints the addresses
 * 6. every few minutes rewards are restaked into the Symbiotic vault for the vault's position and the oracle reports
 *    them, so sgETH's rate moves (the chain's clock is moved an hour ahead for each report: the vault accepts at most
 *    one report an hour; each report's gain then vests over the next hour)
 *
 * Burner wallets in the page fund themselves on this chain (hardhat_setBalance); Hardhat's well-known accounts hold
 * 10,000 ETH each. Ctrl+C stops every process it started. Options: --port (8545), --web-port (5173),
 * --metrics-port (9101, the first worker's), --workers (3), --indexer-port (42069; 0 = no indexer),
 * --report-every SECONDS (300; 0 = never), --rebuild.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createPublicClient, createWalletClient, http, toHex, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { surgeVaultAbi } from "../game/chain/generated/abis.js";
import type { Deployment } from "../game/chain/deployment.js";
import { fail } from "./lib/cli.js";
import { clientBuildIsStale } from "./lib/client-build.js";
import { deploySurgeGold, ROOT, writeDeployment } from "./lib/deploy.js";
import { KeepAlive } from "./lib/keep-alive.js";
import { checkPortFree, PortBusyError, rpc, startLocalChain, type LocalChain } from "./lib/node.js";
import { devnetDir, workerPidFile } from "./lib/paths.js";
import { indexerHealth, spawnIndexer, waitForIndexed, type IndexerProcess } from "../game/indexer/lib/process.js";

const MNEMONIC = "test test test test test test test test test test test junk";


function options() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: process.env.SURGE_PORT ?? "8545" },
        "web-port": { type: "string", default: process.env.SURGE_WEB_PORT ?? "5173" },
        "metrics-port": { type: "string", default: process.env.SURGE_METRICS_PORT ?? "9101" },
        workers: { type: "string", default: "3" },
        "indexer-port": { type: "string", default: process.env.SURGE_INDEXER_PORT ?? "42069" },
        "report-every": { type: "string", default: "300" },
        rebuild: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    return fail(`${(e as Error).message} (npm start -- --help lists the options)`);
  }
}
const opts = options();

if (opts.help) {
  console.log(
    "npm start [-- --port 8545 --web-port 5173 --metrics-port 9101 --workers 3 --indexer-port 42069 --report-every 300 --rebuild]\n" +
      "Starts a local chain, deploys Surge Gold, starts worker nodes and the indexer, and serves the game. Ctrl+C stops it all.",
  );
  process.exit(0);
}

function portOption(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) fail(`--${name} must be a port number (1-65535), got "${value}"`);
  return n;
}
const rpcPort = portOption("port", opts.port);
/** Ignition's journal of this devnet's deployment (one per port: two devnets never share one). */
const DEPLOYMENT_ID = `devnet-${rpcPort}`;
const webPort = portOption("web-port", opts["web-port"]);
const metricsBase = portOption("metrics-port", opts["metrics-port"]);
const workerCount = Number(opts.workers);
if (!Number.isInteger(workerCount) || workerCount < 0 || workerCount > 9) fail("--workers must be 0 to 9");
const reportEvery = Number(opts["report-every"]);
if (!Number.isInteger(reportEvery) || (reportEvery !== 0 && reportEvery < 10)) {
  fail("--report-every must be a whole number of seconds, at least 10 (0 = never)");
}
/** 0: no indexer (the page then reads the chain directly, and says so). */
const indexerPort = opts["indexer-port"] === "0" ? 0 : portOption("indexer-port", opts["indexer-port"]);
const ports = [
  rpcPort,
  webPort,
  ...Array.from({ length: workerCount }, (_, i) => metricsBase + i),
  ...(indexerPort > 0 ? [indexerPort] : []),
];
if (metricsBase + workerCount - 1 > 65_535) fail(`--metrics-port ${metricsBase} leaves no room for ${workerCount} workers`);
if (new Set(ports).size !== ports.length) {
  fail(
    `the ports overlap: chain ${rpcPort}, web ${webPort}, workers ${metricsBase}-${metricsBase + workerCount - 1}` +
      (indexerPort > 0 ? `, indexer ${indexerPort}` : ""),
  );
}

const started = Date.now();
const step = (n: number, text: string) => console.log(`[${n}/6] ${text}`);
/** The workers' logs, one folder per devnet (by chain port): two devnets never write the same file. */
const logDir = devnetDir(rpcPort);
const logOf = (i: number) => join(".devnet", String(rpcPort), `worker-${i + 1}.log`);

let chain: LocalChain | null = null;
const workers: KeepAlive[] = [];
let web: { close: () => Promise<void> } | null = null;
let indexer: IndexerProcess | null = null;
let indexerWatch: NodeJS.Timeout | null = null;
let reporter: NodeJS.Timeout | null = null;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  console.log("\nstopping: workers, indexer, web server, chain…");
  if (reporter) clearInterval(reporter);
  if (indexerWatch) clearInterval(indexerWatch);
  const indexerStopped = indexer?.stop("SIGTERM");
  // No restarts from here on: each worker gets SIGTERM, and SIGKILL after 10 s.
  await Promise.all(workers.map((w) => w.stop("SIGTERM", 10_000)));
  await indexerStopped;
  await web?.close().catch(() => undefined);
  await chain?.stop();
  rmSync(join(ROOT, "ignition", "deployments", DEPLOYMENT_ID), { recursive: true, force: true });
  console.log("stopped.");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

/** Runs a build command, showing its output only if it fails. */
function build(what: string, command: string, args: string[], quiet = false): void {
  if (!quiet) console.log(`      building ${what} (missing or out of date, or --rebuild)…`);
  const r = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    console.error(`${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").filter((l) => !/warning/i.test(l)).slice(-40).join("\n"));
    fail(`building ${what} failed (\`${command} ${args.join(" ")}\`); fix the error above and run npm start again`, 1);
  }
}

function keyOf(index: number) {
  return toHex(mnemonicToAccount(MNEMONIC, { addressIndex: index }).getHdKey().privateKey!);
}

async function main(): Promise<void> {
  step(1, "checking ports and builds");
  if (workerCount === 0) {
    console.log("      note: with no worker no epoch reaches quorum; runs settle by on-chain replay");
  } else if (workerCount < 3) {
    console.log(`      note: with ${workerCount} equal worker(s) every one must sign (two thirds of the eligible stake): one down stops quorum`);
  }
  for (const port of ports) {
    try {
      await checkPortFree(port);
    } catch (e) {
      if (e instanceof PortBusyError) {
        const flag =
          port === rpcPort ? "--port" : port === webPort ? "--web-port" : port === indexerPort ? "--indexer-port" : "--metrics-port";
        fail(`${e.message} (npm start -- ${flag} N); is another devnet running?`);
      }
      throw e;
    }
  }
  const bin = join(ROOT, "node_modules", ".bin");
  if (!existsSync(join(bin, "hardhat"))) fail("dependencies are missing: run `npm install` first");
  // Incremental: compiles only what changed since the last build (nothing, usually, in a second or two).
  const force = opts.rebuild ? ["--force"] : [];
  build("the contracts", join(bin, "hardhat"), ["build", "--quiet", "--no-tests", ...force], !opts.rebuild);
  if (opts.rebuild || clientBuildIsStale()) build("the client", "npm", ["run", "--silent", "client:build"]);

  step(2, `starting the chain on 127.0.0.1:${rpcPort}`);
  chain = await startLocalChain({ port: rpcPort, blockTimeMs: 1000 });

  step(3, "deploying Symbiotic's contracts, then ours (Ignition, development parameters)");
  // Hardhat is imported here, after the builds: its config loads the compiler only when needed.
  const { network } = await import("hardhat");
  const connection = await network.create({ network: "localhost", override: { url: chain.url } });
  const deployment = await deploySurgeGold(connection, { network: "devnet", deploymentId: DEPLOYMENT_ID, fresh: true });
  await connection.close();
  // The workers' /trees endpoints go in the deployment file: players' pages fetch attested trees from them. The
  // indexer's address too: the page reads history from it.
  const indexerUrl = indexerPort > 0 ? `http://127.0.0.1:${indexerPort}` : undefined;
  const deploymentFile = writeDeployment({
    ...deployment,
    workers: Array.from({ length: workerCount }, (_, i) => `http://127.0.0.1:${metricsBase + i}`),
    indexer: indexerUrl,
  });

  step(4, `starting ${workerCount} worker nodes (bonding 1 sgETH each)${indexerPort > 0 ? " and the indexer" : ""}`);
  mkdirSync(logDir, { recursive: true });
  if (indexerPort > 0) indexer = startIndexer(chain.url, deploymentFile);
  for (let i = 0; i < workerCount; i++) workers.push(keepWorker(i, chain.url, deploymentFile));
  await waitForWorkers();
  const health = indexer ? await waitForIndexed(indexer, undefined, 180_000) : null;
  if (indexer) watchIndexer(indexer);

  step(5, `serving the game on 127.0.0.1:${webPort}`);
  const { preview } = await import("vite");
  const server = await preview({
    configFile: join(ROOT, "game", "client", "vite.config.ts"),
    preview: { port: webPort, strictPort: true, host: "127.0.0.1", open: false },
    logLevel: "warn",
  });
  web = { close: () => server.close() };

  step(6, reportEvery > 0 ? `rewards reported every ${reportEvery} s` : "reward reports off (--report-every 0)");
  if (reportEvery > 0) {
    const tick = () => void reportRewards(deployment, chain!.url).catch((e: unknown) => {
      console.error(`devnet: reward report failed: ${(e as Error).message.split("\n")[0]}`);
    });
    setTimeout(tick, 60_000).unref();
    reporter = setInterval(tick, reportEvery * 1000);
  }

  const rpcQuery = rpcPort === 8545 ? "" : `?rpc=${encodeURIComponent(chain.url)}`;
  console.log(
    [
      "",
      `Surge Gold devnet ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  play:        http://127.0.0.1:${webPort}/${rpcQuery}`,
      `  chain:       ${chain.url} (chain id 31337)`,
      `  deployment:  ${deploymentFile}`,
      ...workers.map(
        (_, i) =>
          `  worker ${i + 1}:    http://127.0.0.1:${metricsBase + i}/healthz  /metrics  (log: ${logOf(i)}; pid in ${pidOf(i)})`,
      ),
      indexer && health
        ? `  indexer:     ${indexer.url}/healthz  /api/leaderboard  /graphql  (log: ${INDEXER_LOG}; ` +
          `indexed block ${health.indexed} of ${health.head})`
        : "  indexer:     off (--indexer-port 0): the page reads the chain directly",
      "A worker that exits on its own is restarted (2 s, doubling to 30 s). Ctrl+C stops everything.",
      "",
    ].join("\n"),
  );
}

const INDEXER_LOG = join(".devnet", String(rpcPort), "indexer.log");

/** The indexer on a fresh embedded database (the chain is fresh too), stopped with the rest. */
function startIndexer(url: string, deploymentFile: string): IndexerProcess {
  const dbDir = join(logDir, "indexer");
  rmSync(dbDir, { recursive: true, force: true });
  rmSync(join(ROOT, INDEXER_LOG), { force: true });
  const p = spawnIndexer({
    deploymentFile,
    rpc: url,
    port: indexerPort,
    dbDir,
    logFile: join(ROOT, INDEXER_LOG),
    env: { SURGE_PARENT_PID: String(process.pid) },
  });
  void p.exited.then((code) => {
    if (!stopping) console.error(`devnet: the indexer exited (${code}); the page falls back to chain reads. See ${INDEXER_LOG}`);
  });
  return p;
}

/** Says so in the devnet's output when the indexer stops answering /healthz, and when it is back. */
function watchIndexer(p: IndexerProcess): void {
  let healthy = true;
  indexerWatch = setInterval(() => {
    void indexerHealth(p.url).then((h) => {
      const ok = h !== null && h.ok;
      if (ok !== healthy && !stopping) {
        console.log(
          ok
            ? `devnet: indexer healthy again (indexed block ${h!.indexed} of ${h!.head})`
            : `devnet: indexer unhealthy (${h === null ? "not answering" : `lag ${h.lagBlocks} blocks`}); see ${INDEXER_LOG}`,
        );
      }
      healthy = ok;
    });
  }, 5_000);
}

const pidOf = (i: number) => join(".devnet", String(rpcPort), `worker-${i + 1}.pid`);

/** Worker i (0-based), restarted whenever it exits on its own; its log gathers every run of it. */
function keepWorker(i: number, url: string, deploymentFile: string): KeepAlive {
  rmSync(join(logDir, `worker-${i + 1}.log`), { force: true });
  const healthz = `http://127.0.0.1:${metricsBase + i}/healthz`;
  return new KeepAlive({
    name: `worker ${i + 1}`,
    start: () => startWorker(i, url, deploymentFile),
    pidFile: workerPidFile(rpcPort, i + 1),
    healthy: async () => (await fetch(healthz, { signal: AbortSignal.timeout(2_000) })).ok,
    say: (line) => {
      if (!stopping) console.error(`devnet: ${line}${line.includes("exited") ? `; see ${logOf(i)}` : ""}`);
    },
  });
}

function startWorker(i: number, url: string, deploymentFile: string): ChildProcess {
  const log = createWriteStream(join(logDir, `worker-${i + 1}.log`), { flags: "a" });
  // The other workers' HTTP servers: where this one fetches a foreign root's tree to challenge it.
  const peers = Array.from({ length: workerCount }, (_, j) => j)
    .filter((j) => j !== i)
    .map((j) => `http://127.0.0.1:${metricsBase + j}`);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join("game", "worker", "main.ts"),
      "--rpc",
      url,
      "--deployment",
      deploymentFile,
      "--bond",
      "1",
      "--metrics-port",
      String(metricsBase + i),
      "--threads",
      "1",
      ...(peers.length > 0 ? ["--peers", peers.join(",")] : []),
    ],
    // The key goes by environment, not argv, so that it does not show in `ps` (a habit worth keeping, even for
    // Hardhat's well-known devnet keys).
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, SURGE_WORKER_KEY: keyOf(i + 1), SURGE_PARENT_PID: String(process.pid) },
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** Waits until every worker answers /healthz (they bond on first start, which takes a few blocks). */
async function waitForWorkers(): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (let i = 0; i < workers.length; i++) {
    for (;;) {
      const p = workers[i]!.process;
      if (p.exitCode !== null || p.signalCode !== null) {
        throw new Error(`worker ${i + 1} exited while starting; see ${logOf(i)}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${metricsBase + i}/healthz`);
        if (res.ok) {
          workers[i]!.markHealthy();
          break;
        }
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`worker ${i + 1} was not healthy within 180 s; see its log`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** What the reward tick calls: the strategy's Symbiotic vault, and that vault's deposit on behalf of the strategy. */
const symbioticAbi = [
  {
    type: "function",
    name: "symbioticVault",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "address" }],
  },
  {
    type: "function",
    name: "deposit",
    stateMutability: "nonpayable",
    inputs: [
      { name: "onBehalfOf", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [
      { name: "depositedAmount", type: "uint256" },
      { name: "mintedShares", type: "uint256" },
    ],
  },
] as const;
const wethAbi = [
  { type: "function", name: "deposit", stateMutability: "payable", inputs: [], outputs: [] },
  {
    type: "function",
    name: "approve",
    stateMutability: "nonpayable",
    inputs: [
      { name: "spender", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [{ type: "bool" }],
  },
] as const;

/**
 * The vault's Symbiotic position earns 0.3% on what it has staked (below the vault's 0.5% cap per report): account 0
 * restakes that much WETH into the Symbiotic vault on behalf of the strategy (as a network's rewards would be), the
 * clock moves an hour (the vault's minimum between reports) and the oracle (account 0) reports it.
 */
async function reportRewards(deployment: Deployment, url: string): Promise<void> {
  const account = mnemonicToAccount(MNEMONIC, { addressIndex: 0 });
  const transport = http(url);
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const wallet = createWalletClient({ chain: hardhat, transport, account });
  const { vault, weth, restakingLayer } = deployment.contracts;
  await wallet.writeContract({ address: vault, abi: surgeVaultAbi, functionName: "rebalance" }).catch(() => undefined);
  const staked = await strategyAssets(publicClient, vault);
  if (staked === 0n) return;
  const reward = (staked * 30n) / 10_000n;
  await publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: weth, abi: wethAbi, functionName: "deposit", value: reward }),
  });
  const symbioticVault = await publicClient.readContract({
    address: restakingLayer,
    abi: symbioticAbi,
    functionName: "symbioticVault",
  });
  await wallet.writeContract({ address: weth, abi: wethAbi, functionName: "approve", args: [symbioticVault, reward] });
  await publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({
      address: symbioticVault,
      abi: symbioticAbi,
      functionName: "deposit",
      args: [restakingLayer, reward],
    }),
  });
  await rpc(url, "evm_increaseTime", [3600]);
  await publicClient.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: vault, abi: surgeVaultAbi, functionName: "report", args: [reward] }),
  });
}

async function strategyAssets(client: ReturnType<typeof createPublicClient>, vault: Address): Promise<bigint> {
  const [, inStrategy] = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "liquidity" });
  return inStrategy;
}

main().catch(async (e: unknown) => {
  // Ctrl+C during startup stops the chain under a step still running: its error is expected, not news.
  if (stopping) return;
  const message = e instanceof Error ? e.message.split("\n")[0]! : String(e);
  console.error(`error: ${message}`);
  if (chain && /deploy/i.test(message)) console.error(chain.output().slice(-1_500));
  await shutdown(1);
});

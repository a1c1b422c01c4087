/**
 * What the worker tests (and scripts/bench/worker.ts) share: a real `hardhat node` with the system deployed through
 * the Ignition module, worker child processes (`node --import tsx game/worker/main.ts`), fast run submission over
 * batched JSON-RPC, and readers of the settlement's events. Side-effect free on import: Hardhat's test runner loads
 * every .ts file under test/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import {
  createPublicClient,
  encodeFunctionData,
  getAddress,
  http,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../../game/chain/generated/abis.js";
import type { Deployment } from "../../game/chain/deployment.js";
import { encodeRunId } from "../../game/chain/runId.js";
import { EpochTree } from "../../game/chain/tree.js";
import { bytesToHex, encodeInputs, hexToBytes, replay } from "../../game/sim/index.js";
import { deploySurgeGold, ROOT, type ModuleParameters } from "../../scripts/lib/deploy.js";
import { rpc, startLocalChain, type LocalChain } from "../../scripts/lib/node.js";

/** Hardhat's default accounts (funded with 10,000 ETH on `hardhat node`). */
const MNEMONIC = "test test test test test test test test test test test junk";
export function accountKey(index: number): Hex {
  return toHex(mnemonicToAccount(MNEMONIC, { addressIndex: index }).getHdKey().privateKey!);
}
export function accountAddress(index: number): Address {
  return mnemonicToAccount(MNEMONIC, { addressIndex: index }).address;
}

export interface System {
  chain: LocalChain;
  deployment: Deployment;
  deploymentFile: string;
  client: PublicClient;
  cleanup: () => Promise<void>;
}

/**
 * Starts `hardhat node` (mining a block every `blockTimeMs` besides automine, if given), deploys the system with
 * `parameters` and writes its deployment file to a temporary directory.
 */
export async function startSystem(parameters: ModuleParameters, blockTimeMs = 0): Promise<System> {
  const chain = await startLocalChain({});
  const dir = mkdtempSync(join(tmpdir(), "surge-worker-"));
  const deploymentId = `test-${chain.port}`;
  try {
    const connection = await network.create({ network: "localhost", override: { url: chain.url } });
    const deployment = await deploySurgeGold(connection, { network: "test", parameters, deploymentId, fresh: true });
    await connection.close();
    const deploymentFile = join(dir, `${deployment.chainId}.json`);
    writeFileSync(deploymentFile, JSON.stringify(deployment));
    if (blockTimeMs > 0) await rpc(chain.url, "evm_setIntervalMining", [blockTimeMs]);
    const client = createPublicClient({ transport: http(chain.url, { retryCount: 5 }), pollingInterval: 100 });
    return {
      chain,
      deployment,
      deploymentFile,
      client,
      cleanup: async () => {
        await chain.stop();
        rmSync(dir, { recursive: true, force: true });
        rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
      },
    };
  } catch (e) {
    await chain.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    throw e;
  }
}

// ---------------------------------------------------------------- worker processes

export interface WorkerProcess {
  child: ChildProcess;
  /** Parsed JSON log lines so far. */
  logs: () => Record<string, unknown>[];
  /** Everything the process wrote (for failure messages). */
  output: () => string;
  waitForLog: (pred: (line: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  kill: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

export interface WorkerOptions {
  rpc: string;
  key: Hex;
  deployment: string;
  args?: string[];
  /** The entry script, relative to the project root (a lying worker for some tests). */
  entry?: string;
  env?: Record<string, string>;
}

export function spawnWorker(o: WorkerOptions): WorkerProcess {
  const entry = o.entry ?? "game/worker/main.ts";
  const child = spawn(
    process.execPath,
    ["--import", "tsx", entry, "--rpc", o.rpc, "--key", o.key, "--deployment", o.deployment, ...(o.args ?? [])],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...o.env } },
  );
  let out = "";
  let partial = "";
  const lines: Record<string, unknown>[] = [];
  const waiters: { pred: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    const text = partial + d.toString();
    if (out.length < 2_000_000) out += d.toString();
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    for (const p of parts) {
      if (p.trim() === "") continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(p) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on("data", (d: Buffer) => {
    if (out.length < 2_000_000) out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logs: () => lines,
    output: () => out,
    exited,
    waitForLog: (pred, timeoutMs = 120_000) => {
      const found = lines.find(pred);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker log line not seen within ${timeoutMs} ms; output:\n${out.slice(-4_000)}`)),
          timeoutMs,
        );
        const w = {
          pred,
          resolve: (l: Record<string, unknown>) => {
            clearTimeout(timer);
            resolve(l);
          },
        };
        waiters.push(w);
        void exited.then((code) => {
          if (waiters.includes(w)) {
            clearTimeout(timer);
            reject(new Error(`worker exited (${code}) before the log line; output:\n${out.slice(-4_000)}`));
          }
        });
      });
    },
    kill: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

// ---------------------------------------------------------------- runs

interface RpcRequest {
  method: string;
  params: unknown[];
}

/** Sends JSON-RPC requests as batches of at most `size`; throws on the first error. */
export async function rpcBatch(url: string, requests: RpcRequest[], size = 500): Promise<unknown[]> {
  const results: unknown[] = [];
  for (let i = 0; i < requests.length; i += size) {
    const body = requests.slice(i, i + size).map((r, k) => ({ jsonrpc: "2.0", id: i + k, ...r }));
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answers = (await res.json()) as { id: number; result?: unknown; error?: { message: string } }[];
    for (const a of answers.sort((x, y) => x.id - y.id)) {
      if (a.error !== undefined) throw new Error(`${body[a.id - i]!.method}: ${a.error.message}`);
      results.push(a.result);
    }
  }
  return results;
}

/** Short, valid inputs that differ with `i` (some find gold, some do not). */
export function shortInputs(i: number): Uint8Array {
  return encodeInputs([4, 4, 4, 4, (i % 2) + 1, 4, 4, 4, 4, 4, 4, 4, (i % 3) + 1, 4, 4, 4, 4, 4, (i % 5) % 3 + 1]);
}

/** Fresh players: impersonated addresses funded by hardhat_setBalance (no private keys needed). */
export async function fundPlayers(url: string, count: number, salt = 0): Promise<Address[]> {
  const players = Array.from({ length: count }, (_, i) =>
    getAddress(`0x${(0x5eed0000 + salt * 100_000 + i).toString(16).padStart(40, "0")}`),
  );
  await rpcBatch(url, [
    ...players.map((p) => ({ method: "hardhat_impersonateAccount", params: [p] })),
    ...players.map((p) => ({ method: "hardhat_setBalance", params: [p, "0x56bc75e2d63100000"] })),
  ]);
  return players;
}

/**
 * Plays `count` runs (start + submit) for `players`, who must not have played before on this registry and have no
 * stake (so each run id is `player << 96 | nonce`, with nonces 1, 2, …). All transactions of one call go into the
 * blocks that `evm_mine` makes with automine off, `perBlock` runs per batch: the batch's starts in one block, its
 * submissions two blocks later (a run's seed is the hash of the block after its start, so it can be submitted from
 * the block after that); batches overlap when there are enough players. Then automine is restored. Returns the number of the last block used.
 */
export async function playRuns(
  url: string,
  registry: Address,
  players: Address[],
  count: number,
  options: { perBlock?: number; inputs?: (i: number) => Uint8Array; firstNonce?: number } = {},
): Promise<bigint> {
  const perBlock = options.perBlock ?? 200;
  const inputsOf = options.inputs ?? shortInputs;
  const gas = toHex(300_000);
  const accountNonce = new Map<Address, number>();
  const txCounts = (await rpcBatch(
    url,
    players.map((p) => ({ method: "eth_getTransactionCount", params: [p, "latest"] })),
  )) as Hex[];
  players.forEach((p, i) => accountNonce.set(p, Number(txCounts[i])));
  const runNonce = new Map<Address, number>();
  const batches: { starts: RpcRequest[]; submits: RpcRequest[] }[] = [];
  for (let done = 0; done < count; ) {
    const n = Math.min(perBlock, count - done);
    const starts: RpcRequest[] = [];
    const submits: RpcRequest[] = [];
    for (let k = 0; k < n; k++) {
      const i = done + k;
      const player = players[i % players.length]!;
      const nonce = (runNonce.get(player) ?? (options.firstNonce ?? 1) - 1) + 1;
      runNonce.set(player, nonce);
      const runId = encodeRunId({ player, boostBps: 0n, nonce: BigInt(nonce) });
      const a = accountNonce.get(player)!;
      accountNonce.set(player, a + 2);
      starts.push({
        method: "eth_sendTransaction",
        params: [{ from: player, to: registry, gas, nonce: toHex(a), data: encodeFunctionData({ abi: runRegistryAbi, functionName: "startRun" }) }],
      });
      submits.push({
        method: "eth_sendTransaction",
        params: [
          {
            from: player,
            to: registry,
            gas,
            nonce: toHex(a + 1),
            data: encodeFunctionData({ abi: runRegistryAbi, functionName: "submitRun", args: [runId, bytesToHex(inputsOf(i))] }),
          },
        ],
      });
    }
    batches.push({ starts, submits });
    done += n;
  }
  await rpc(url, "evm_setAutomine", [false]);
  try {
    if (batches.length === 1 || players.length >= 2 * perBlock) {
      // Pipelined: block b holds batch b's starts and batch b - 2's submissions (its seed block was b - 1). A player
      // comes back at most every other batch, so its next start follows its submission (account nonce order).
      for (let b = 0; b < batches.length + 2; b++) {
        const reqs = [...(batches[b]?.starts ?? []), ...(batches[b - 2]?.submits ?? [])];
        if (reqs.length > 0) await rpcBatch(url, reqs);
        await rpc(url, "evm_mine");
      }
    } else {
      for (const { starts, submits } of batches) {
        await rpcBatch(url, starts);
        await rpc(url, "evm_mine"); // the starts
        await rpc(url, "evm_mine"); // their seed block
        await rpcBatch(url, submits);
        await rpc(url, "evm_mine");
      }
    }
  } finally {
    await rpc(url, "evm_setAutomine", [true]);
  }
  return BigInt(await rpc<Hex>(url, "eth_blockNumber"));
}

/**
 * Mines until the chain's head is at least `block`, one `evm_mine` per block: the node's `hardhat_mine` makes blocks
 * at whose number state reads (eth_call with a block number, as the worker does at its confirmed block) find no code.
 */
export async function mineTo(url: string, block: bigint): Promise<void> {
  const now = BigInt(await rpc<Hex>(url, "eth_blockNumber"));
  if (now < block) await rpcBatch(url, Array.from({ length: Number(block - now) }, () => ({ method: "evm_mine", params: [] })), 50);
}

// ---------------------------------------------------------------- chain reads

export async function attestedEvents(s: System) {
  return s.client.getContractEvents({
    address: s.deployment.contracts.settlement,
    abi: rewardSettlementAbi,
    eventName: "Attested",
    fromBlock: 0n,
  });
}

export async function epochStatus(s: System, epoch: bigint): Promise<number> {
  return s.client.readContract({
    address: s.deployment.contracts.settlement,
    abi: rewardSettlementAbi,
    functionName: "epochStatus",
    args: [epoch],
  });
}

/** How many runs `epoch` has: its RunSubmitted logs (nothing on-chain counts them). */
export async function runCount(s: System, epoch: bigint): Promise<bigint> {
  const logs = await s.client.getContractEvents({
    address: s.deployment.contracts.runRegistry,
    abi: runRegistryAbi,
    eventName: "RunSubmitted",
    args: { epoch },
    fromBlock: 0n,
  });
  return BigInt(logs.length);
}

export async function slashedOf(s: System, worker: Address): Promise<bigint> {
  return s.client.readContract({
    address: s.deployment.contracts.workerRegistry,
    abi: workerRegistryAbi,
    functionName: "slashedOf",
    args: [worker],
  });
}

export async function epochOfBlock(s: System, block: bigint): Promise<bigint> {
  return s.client.readContract({
    address: s.deployment.contracts.runRegistry,
    abi: runRegistryAbi,
    functionName: "epochOf",
    args: [block],
  });
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 120_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Each worker attested at most once per (epoch, round). Returns the offending key if not. */
export function doubleAttestation(events: Awaited<ReturnType<typeof attestedEvents>>): string | undefined {
  const seen = new Set<string>();
  for (const e of events) {
    const key = `${e.args.epoch}:${e.args.round}:${e.args.worker}`;
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

// ---------------------------------------------------------------- a cuttable RPC path

export interface Proxy {
  url: string;
  /** Refuses new connections and drops open ones, as if the RPC host went away. */
  cut: () => Promise<void>;
  restore: () => Promise<void>;
  close: () => Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of `target` (host:port of the node): cut it to take the RPC away. */
export async function startProxy(targetPort: number): Promise<Proxy> {
  const { createServer, connect } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        const a = server.address();
        resolve(typeof a === "object" && a !== null ? a.port : port);
      });
    });
  const port = await listen(0);
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });
  return { url: `http://127.0.0.1:${port}`, cut: stop, restore: async () => void (await listen(port)), close: stop };
}

/** GET `url`: its status and JSON body (null if the body is not JSON). */
export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> | null }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, body: null };
  }
}

/**
 * Fills one epoch with `count` short runs as fast as the node takes them (500 fresh players, `perBlock` runs per
 * mined block), starting at the first block of an epoch, and mines to that epoch's end only if `mineToEnd`.
 * The deployment needs an `epochBlocks` larger than count / perBlock plus a few blocks. Returns the epoch and
 * the block at which it ends (its first block after).
 */
export async function fillEpoch(
  s: System,
  count: number,
  options: { perBlock?: number; players?: number; salt?: number } = {},
): Promise<{ epoch: bigint; end: bigint }> {
  const players = await fundPlayers(s.chain.url, options.players ?? 500, options.salt ?? 7);
  const head = BigInt(await rpc<Hex>(s.chain.url, "eth_blockNumber"));
  const epoch = (await epochOfBlock(s, head + 1n)) + 1n;
  const end = await s.client.readContract({
    address: s.deployment.contracts.runRegistry,
    abi: runRegistryAbi,
    functionName: "epochEnd",
    args: [epoch],
  });
  const epochBlocks = await s.client.readContract({
    address: s.deployment.contracts.runRegistry,
    abi: runRegistryAbi,
    functionName: "epochBlocks",
  });
  // The first batch's starts are mined in the block after the last mined one, its submissions two blocks later:
  // be at the epoch's first block minus three, so that they land in its first block.
  await mineTo(s.chain.url, end - epochBlocks - 3n);
  const last = await playRuns(s.chain.url, s.deployment.contracts.runRegistry, players, count, {
    perBlock: options.perBlock ?? 150,
  });
  if (last >= end) throw new Error(`the runs took blocks up to ${last}, past the epoch's end ${end}: raise epochBlocks`);
  const n = await runCount(s, epoch);
  if (n !== BigInt(count)) throw new Error(`epoch ${epoch} has ${n} runs, expected ${count}`);
  return { epoch, end };
}

/**
 * The tree of `epoch` built independently of the worker: RunSubmitted events sorted by run id here, seedOf, replay,
 * the lead's tree.ts.
 */
export async function expectedRoot(s: System, epoch: bigint): Promise<Hex> {
  const logs = await s.client.getContractEvents({
    address: s.deployment.contracts.runRegistry,
    abi: runRegistryAbi,
    eventName: "RunSubmitted",
    args: { epoch },
    fromBlock: 0n,
  });
  const leaves: { index: bigint; runId: bigint; gold: bigint }[] = [];
  for (const l of logs.sort((a, b) => (a.args.runId! < b.args.runId! ? -1 : 1))) {
    const seed = await s.client.readContract({
      address: s.deployment.contracts.runRegistry,
      abi: runRegistryAbi,
      functionName: "seedOf",
      args: [l.args.runId!],
    });
    if (seed !== l.args.seed) throw new Error(`run ${l.args.runId}: seedOf ${seed} but RunSubmitted says ${l.args.seed}`);
    leaves.push({ index: BigInt(leaves.length), runId: l.args.runId!, gold: BigInt(replay(seed, hexToBytes(l.args.inputs!)).gold) });
  }
  return EpochTree.fromLeaves(epoch, leaves).root;
}


/**
 * Plays `n` runs of fresh players (salt `salt`) sent together, and returns the epoch they landed in (the last one,
 * if a block boundary of the node's interval mining split them).
 */
export async function playBatch(s: System, salt: number, n: number): Promise<bigint> {
  const players = await fundPlayers(s.chain.url, n, salt);
  const before = await s.client.getBlockNumber();
  await playRuns(s.chain.url, s.deployment.contracts.runRegistry, players, n, { perBlock: n });
  const mine = new Set(players);
  const logs = (
    await s.client.getContractEvents({
      address: s.deployment.contracts.runRegistry,
      abi: runRegistryAbi,
      eventName: "RunSubmitted",
      fromBlock: before + 1n,
    })
  ).filter((l) => mine.has(getAddress(l.args.player!)));
  if (logs.length !== n) throw new Error(`${logs.length} of ${n} runs were submitted`);
  return logs.reduce((max, l) => (l.args.epoch! > max ? l.args.epoch! : max), 0n);
}

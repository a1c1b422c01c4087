/**
 * Seeds drawn from a later block (issue 12) as every TS reader sees them, against a real `hardhat node`: right after
 * `startRun` the seed is not drawn (game/chain/seed.ts `readSeed` says "waiting" with the seed block, as the page's
 * "drawing your mine…" does), a block later `seedOf` gives it, `submitRun` stores that very seed in RunSubmitted (what
 * workers and the client read), `npm run replay -- --run` replays the run from the chain, and an unsubmitted run whose
 * seed block is beyond blockhash's 256-block reach reads as expired (the page and the CLI say to start a new run).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { createWalletClient, defineChain, http, parseEventLogs, type Address, type Hex } from "viem";
import { submittedRuns } from "../../game/chain/epoch.js";
import { runRegistryAbi } from "../../game/chain/generated/abis.js";
import { readSeed, SeedExpiredError, waitForSeed } from "../../game/chain/seed.js";
import { bytesToHex, replay } from "../../game/sim/index.js";
import { ROOT } from "../../scripts/lib/deploy.js";
import { rpc } from "../../scripts/lib/node.js";
import { generateRun } from "../helpers/runs.js";
import { fundPlayers, mineTo, startSystem, type System } from "../worker/harness.js";

describe("seeds drawn from the block after the start", { timeout: 240_000 }, () => {
  let s: System;
  let players: Address[];
  const wallet = (player: Address) =>
    createWalletClient({
      account: { address: player, type: "json-rpc" },
      chain: defineChain({ id: s.deployment.chainId, name: "test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [s.chain.url] } } }),
      transport: http(s.chain.url),
    });
  const start = async (player: Address) => {
    const receipt = await s.client.waitForTransactionReceipt({
      hash: await wallet(player).writeContract({ address: s.deployment.contracts.runRegistry, abi: runRegistryAbi, functionName: "startRun" }),
    });
    const [ev] = parseEventLogs({ abi: runRegistryAbi, logs: receipt.logs, eventName: "RunStarted" });
    return { runId: ev!.args.runId, seedBlock: ev!.args.seedBlock, startBlock: receipt.blockNumber };
  };
  const replayCli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/replay.ts", "--rpc", s.chain.url, "--deployment", s.deploymentFile, ...args], {
      cwd: ROOT,
      encoding: "utf8",
    });

  before(async () => {
    s = await startSystem({});
    players = await fundPlayers(s.chain.url, 2, 41);
  });
  after(async () => {
    await s?.cleanup();
  });

  it("is not drawn at the start, is a block later, and is the seed the run is stored and replayed with", async () => {
    const registry = s.deployment.contracts.runRegistry;
    const run = await start(players[0]!);
    assert.equal(run.seedBlock, run.startBlock + 1n, "SEED_DELAY is one block");
    assert.deepEqual(await readSeed(s.client, registry, run.runId), { state: "waiting", seedBlock: run.seedBlock });
    const cli = replayCli("--run", run.runId.toString());
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /its seed comes from block \d+, not made yet: retry in a moment/);

    const mining = (async () => {
      for (let i = 0; i < 3; i++) await rpc(s.chain.url, "evm_mine");
    })();
    const seed = await waitForSeed(s.client, registry, run.runId, { pollMs: 50 });
    await mining;
    assert.match(seed, /^0x[0-9a-f]{64}$/);
    assert.ok(BigInt(await s.client.getBlockNumber()) > run.seedBlock);
    assert.equal(
      await s.client.readContract({ address: registry, abi: runRegistryAbi, functionName: "seedOf", args: [run.runId] }),
      seed,
      "seedOf is stable once drawn",
    );

    const inputs = bytesToHex(generateRun(5, 3).inputs);
    await s.client.waitForTransactionReceipt({
      hash: await wallet(players[0]!).writeContract({ address: registry, abi: runRegistryAbi, functionName: "submitRun", args: [run.runId, inputs] }),
    });
    const [sub] = await submittedRuns(s.client, s.deployment, { player: players[0]! });
    assert.equal(sub!.seed, seed, "RunSubmitted carries the seed the run was played on");
    const gold = replay(seed, generateRun(5, 3).inputs).gold;

    const out = replayCli("--run", run.runId.toString(), "--json");
    assert.equal(out.status, 0, out.stderr);
    assert.equal((JSON.parse(out.stdout) as { gold: number }).gold, gold, "npm run replay -- --run replays it from the chain");
  });

  it("expires for an unsubmitted run once its seed block is out of blockhash's reach", async () => {
    const registry = s.deployment.contracts.runRegistry;
    const run = await start(players[1]!);
    await mineTo(s.chain.url, run.seedBlock + 260n);
    assert.deepEqual(await readSeed(s.client, registry, run.runId), { state: "expired", seedBlock: run.seedBlock });
    await assert.rejects(waitForSeed(s.client, registry, run.runId), (e: unknown) => e instanceof SeedExpiredError && /start a new one/.test(e.message));
    const cli = replayCli("--run", run.runId.toString(), "--inputs", "0x" as Hex);
    assert.equal(cli.status, 2);
    assert.match(cli.stderr, /was never submitted and its seed block \d+ is out of reach/);
  });
});

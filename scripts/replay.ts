/**
 * Replays one run and prints its result.
 *
 *   npm run replay -- --seed 0x<64 hex> --inputs 0x<hex> [--onchain] [--json]
 *   npm run replay -- --run <runId> [--rpc URL] [--deployment FILE] [--inputs 0x<hex>] [--onchain] [--json]
 *
 * --run reads a ranked run from the chain: its seed (drawn from the block after its start: from its RunSubmitted
 * event, or `seedOf` for a run not submitted yet) and its submitted inputs (unless --inputs is given).
 * --onchain also replays it through SurgeRules on Hardhat's in-process chain, prints the gas a transaction
 * would use, and checks that both implementations agree.
 */
import { parseArgs } from "node:util";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, http, type Hex } from "viem";
import { deploymentPath, parseDeployment } from "../game/chain/deployment.js";
import { submittedRuns } from "../game/chain/epoch.js";
import { runLabel } from "../game/chain/runId.js";
import { readSeed } from "../game/chain/seed.js";
import { EndReason, hexToBytes, InputError, replay, seedWords, type RunResult } from "../game/sim/index.js";
import { runCli, UsageError } from "./lib/cli.js";
import { ROOT } from "./lib/paths.js";

const USAGE =
  "usage: npm run replay -- --seed 0x<64 hex digits> --inputs 0x<hex bytes> [--onchain] [--json]\n" +
  "       npm run replay -- --run <runId> [--rpc URL] [--deployment FILE] [--inputs 0x<hex>] [--onchain] [--json]";

/** A ranked run's seed and inputs, read from the chain. */
async function fromChain(run: string, rpc: string, deploymentFile: string | undefined, inputs: string | undefined) {
  if (!/^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(run)) throw new UsageError(`--run: ${run} is not a run id (a decimal or 0x number)`);
  const runId = BigInt(run);
  const client = createPublicClient({ transport: http(rpc, { retryCount: 1 }) });
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    throw new UsageError(`--rpc ${rpc} does not answer: is the chain running (npm start)?`);
  }
  const file = deploymentFile ?? join(ROOT, "public", deploymentPath(chainId));
  if (!existsSync(file)) throw new UsageError(`no deployment file at ${file}: pass --deployment FILE`);
  const d = parseDeployment(JSON.parse(readFileSync(file, "utf8")), file);
  const label = runLabel(runId, null);
  const [sub] = await submittedRuns(client, d, {}).then((all) => all.filter((r) => r.runId === runId));
  if (sub) return { seed: sub.seed, inputs: inputs ?? sub.inputs, label };
  const seed = await readSeed(client, d.contracts.runRegistry, runId).catch((e: unknown) => {
    throw new UsageError(`${label}: ${(e as { shortMessage?: string }).shortMessage ?? String(e)}`);
  });
  if (seed.state === "waiting") throw new UsageError(`${label}: its seed comes from block ${seed.seedBlock}, not made yet: retry in a moment`);
  if (seed.state === "expired") throw new UsageError(`${label} was never submitted and its seed block ${seed.seedBlock} is out of reach`);
  if (inputs === undefined) throw new UsageError(`${label} is not submitted yet (seed ${seed.seed}): pass --inputs to replay it`);
  return { seed: seed.seed, inputs, label };
}

runCli(async () => {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      inputs: { type: "string" },
      run: { type: "string" },
      rpc: { type: "string", default: process.env.SURGE_RPC ?? "http://127.0.0.1:8545" },
      deployment: { type: "string" },
      onchain: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).valueOf() as {
    values: { seed?: string; inputs?: string; run?: string; rpc: string; deployment?: string; onchain: boolean; json: boolean; help: boolean };
  };
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.run !== undefined) {
    if (values.seed !== undefined) throw new UsageError(`--run reads the seed from the chain: leave out --seed\n${USAGE}`);
    const r = await fromChain(values.run, values.rpc, values.deployment, values.inputs);
    values.seed = r.seed;
    values.inputs = r.inputs;
    if (!values.json) console.log(`${r.label}: seed ${r.seed}`);
  }
  if (!values.seed || !values.inputs) throw new UsageError(`--seed and --inputs (or --run) are required\n${USAGE}`);
  try {
    seedWords(values.seed);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let inputs: Uint8Array;
  try {
    inputs = hexToBytes(values.inputs);
  } catch (e) {
    throw new UsageError(`--inputs: ${(e as Error).message}`);
  }
  const seed = values.seed as Hex;

  let ts: RunResult;
  try {
    ts = replay(seed, inputs);
  } catch (e) {
    if (e instanceof InputError) throw new UsageError(`malformed inputs (${e.code}): ${e.message}`);
    throw e;
  }
  const out: Record<string, unknown> = { ...ts, endedEarly: ts.ticks < ((inputs[1]! << 8) | inputs[2]!) };

  if (values.onchain) {
    const { network } = await import("hardhat");
    const { estimateReplayGas, replayOnchain } = await import("../game/chain/rules.js");
    const { viem } = await network.create();
    const client = await viem.getPublicClient();
    const replayer = await viem.deployContract("SurgeReplayer");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Hardhat's client type is a viem PublicClient
    const onchain = await replayOnchain(client as any, replayer.address, seed, inputs);
    if (!onchain.ok) throw new Error(`SurgeRules rejected inputs TypeScript accepted: ${onchain.error}`);
    const same = JSON.stringify(onchain.result) === JSON.stringify(ts);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    out.gasUsed = Number(await estimateReplayGas(client as any, replayer.address, seed, inputs));
    out.onchainMatches = same;
    if (!same) {
      console.error(`MISMATCH: Solidity gives ${JSON.stringify(onchain.result)}`);
      process.exitCode = 1;
    }
  }

  if (values.json) {
    console.log(JSON.stringify(out));
    return;
  }
  const rows: [string, unknown][] = [
    ["gold", ts.gold],
    ["ticks", `${ts.ticks} (${(ts.ticks / 20).toFixed(1)} s)`],
    ["max depth", ts.maxDepth],
    ["lives left", ts.lives],
    ["energy left", ts.energy],
    ["digest", `0x${ts.digest.toString(16).padStart(8, "0")}`],
  ];
  if (ts.lives === 0) rows.push(["ended", "out of lives"]);
  else if (ts.energy === 0) rows.push(["ended", "out of energy"]);
  else if (ts.ticks === 3600) rows.push(["ended", "time up"]);
  else rows.push(["ended", `inputs ended (EndReason ${EndReason.INPUTS_ENDED})`]);
  if (values.onchain) {
    rows.push(["on-chain gas", out.gasUsed]);
    rows.push(["on-chain result", out.onchainMatches ? "identical" : "DIFFERENT"]);
  }
  for (const [k, v] of rows) console.log(`${k.padEnd(15)} ${String(v)}`);
});

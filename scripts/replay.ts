/**
 * Replays one run and prints its result.
 *
 *   npm run replay -- --seed 0x<64 hex> --inputs 0x<hex> [--onchain] [--json]
 *
 * --onchain also replays it through SurgeRules on Hardhat's in-process chain, prints the gas a transaction
 * would use, and checks that both implementations agree.
 */
import { parseArgs } from "node:util";
import { EndReason, hexToBytes, InputError, replay, seedWords, type RunResult } from "../game/sim/index.js";
import { runCli, UsageError } from "./lib/cli.js";

const USAGE = "usage: npm run replay -- --seed 0x<64 hex digits> --inputs 0x<hex bytes> [--onchain] [--json]";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      seed: { type: "string" },
      inputs: { type: "string" },
      onchain: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }).valueOf() as { values: { seed?: string; inputs?: string; onchain: boolean; json: boolean; help: boolean } };
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.seed || !values.inputs) throw new UsageError(`--seed and --inputs are required\n${USAGE}`);
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
  const seed = values.seed as `0x${string}`;

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

/**
 * Worker node figures:
 * - worker.replaysPerSecond1 / worker.replaysPerSecond2: the replay pool (piscina) with 1 and 2 threads over the
 *   same full-length (3,600-tick) agent-played runs, median of rounds, in this one process; worker.poolSpeedup2 is
 *   their ratio (floor 1.6 on 2 cores, goal 1.95).
 * - worker.attestSeconds10k: a real `hardhat node`, one worker process (`node --import tsx game/worker/main.ts`),
 *   an epoch of 10,000 short runs: seconds from the block that ends the epoch being mined to the worker's log line
 *   "attested epoch" (written once the attestation's receipt is in). Floor 60.
 */
import { bytesToHex, MAX_TICKS, replay } from "../../game/sim/index.js";
import { ReplayPool, type ReplayRun } from "../../game/worker/pool.js";
import { generateRun } from "../../test/helpers/runs.js";
import { accountKey, fillEpoch, mineTo, spawnWorker, startSystem } from "../../test/worker/harness.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function fullLengthRuns(count: number): ReplayRun[] {
  const out: ReplayRun[] = [];
  for (let i = 0; out.length < count && i < 20_000; i++) {
    const run = generateRun(3, i);
    if (run.kind === "malformed" || run.kind === "idle" || run.kind === "short") continue;
    if (replay(run.seed, run.inputs).ticks === MAX_TICKS) out.push({ seed: run.seed, inputs: bytesToHex(run.inputs) });
  }
  return out;
}

/**
 * Replays per second of a 1-thread and a 2-thread pool over `workload`, measured in alternating rounds (1, 2, 1,
 * 2, …) so that background load on a shared machine hits both alike; medians of the rounds and of the per-pair
 * ratios. Tasks of 400 runs (tens of milliseconds each): thread messaging is then a small fraction of the work.
 */
async function poolRates(workload: ReplayRun[]): Promise<{ one: number; two: number; speedup: number }> {
  const pools = [new ReplayPool({ threads: 1, batchSize: 400 }), new ReplayPool({ threads: 2, batchSize: 400 })];
  try {
    for (const p of pools) await p.replay(workload.slice(0, 2_000)); // warm up every thread's JIT
    const rate = async (p: ReplayPool) => {
      const t0 = performance.now();
      await p.replay(workload);
      return (workload.length * 1000) / (performance.now() - t0);
    };
    const ones: number[] = [];
    const twos: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < 7; round++) {
      const one = await rate(pools[0]!);
      const two = await rate(pools[1]!);
      ones.push(one);
      twos.push(two);
      ratios.push(two / one);
    }
    return { one: median(ones), two: median(twos), speedup: median(ratios) };
  } finally {
    for (const p of pools) await p.close();
  }
}

async function attestSeconds10k(): Promise<number> {
  const s = await startSystem({ epochBlocks: 100n, challengeWindow: 3n, fallbackDelay: 200n, unbondingDelay: 400n });
  const worker = spawnWorker({
    rpc: s.chain.url,
    key: accountKey(10),
    deployment: s.deploymentFile,
    args: ["--bond", "1", "--poll-ms", "250"],
  });
  try {
    await worker.waitForLog((l) => l.msg === "worker started: following the chain");
    const { epoch, end } = await fillEpoch(s, 10_000);
    await mineTo(s.chain.url, end);
    const t0 = Date.now();
    const line = await worker.waitForLog((l) => l.msg === "attested epoch" && l.epoch === Number(epoch), 300_000);
    return (Date.parse(String(line.time)) - t0) / 1000;
  } finally {
    await worker.kill("SIGTERM");
    await s.cleanup();
  }
}

export default {
  name: "worker",
  async run(): Promise<Record<string, number>> {
    const runs = fullLengthRuns(48);
    const workload = Array.from({ length: 200 }, () => runs).flat(); // 9,600 full-length replays per round
    const { one, two, speedup } = await poolRates(workload);
    const attest = await attestSeconds10k();
    return {
      "worker.replaysPerSecond1": Math.round(one),
      "worker.replaysPerSecond2": Math.round(two),
      "worker.poolSpeedup2": Math.round(speedup * 1000) / 1000,
      "worker.attestSeconds10k": Math.round(attest * 10) / 10,
    };
  },
};

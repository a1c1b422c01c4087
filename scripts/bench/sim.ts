/**
 * sim.replaysPerSecond: full-length (3,600-tick) runs replayed by the TypeScript core on one core, median of
 * several one-second rounds. sim.replayGasMax: the most gas any run we can find costs to replay on-chain: a search
 * (scripts/lib/replay-search.ts) of planners that play to maximize the contract's work, hill-climbed on measured
 * gas across many seeds, plus realistic, scripted, hazard-seeking and adversarial runs, every one in its dearest
 * valid encoding (the bench prints which one won).
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { PublicClient } from "viem";
import { estimateReplayGas } from "../../game/chain/rules.js";
import {
  Action,
  advance,
  createState,
  bytesToHex,
  decodeInputs,
  hexToBytes,
  EndReason,
  MAX_TICKS,
  replay,
  type SimState,
} from "../../game/sim/index.js";
import { generateHazardRun, generateRun, Rng, type GeneratedRun } from "../../test/helpers/runs.js";
import { noisy, searchDearest, type Candidate } from "../lib/replay-search.js";
import { productionNetwork } from "../lib/production-build.js";

const WORST_FILE = "bench-results-dearest-replay.json";

/** The dearest runs longer searches found (scripts/bench/dearest-replays.json): measured every time, so the figure
 *  never falls below what is already known. */
function knownDearest(): Candidate[] {
  const file = new URL("./dearest-replays.json", import.meta.url);
  const { runs } = JSON.parse(readFileSync(file, "utf8")) as { runs: { found: string; seed: `0x${string}`; inputs: string }[] };
  return runs.map((r) => ({ kind: `known dearest (${r.found})`, seed: r.seed, inputs: hexToBytes(r.inputs) }));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

/** Full-length runs with real play in them (not idle): the replay speed workload. */
function fullLengthRuns(count: number): GeneratedRun[] {
  const out: GeneratedRun[] = [];
  for (let i = 0; out.length < count && i < 20_000; i++) {
    const run = generateRun(3, i);
    if (run.kind === "malformed" || run.kind === "idle" || run.kind === "short") continue;
    if (replay(run.seed, run.inputs).ticks === MAX_TICKS) out.push(run);
  }
  return out;
}

/**
 * Runs built to be expensive on-chain: dig to where a move is blocked by generated bedrock (each bump
 * regenerates the cell), trigger every boulder in reach on the way, and bump for the rest of the run.
 */
function adversarialRuns(count: number): GeneratedRun[] {
  const out: GeneratedRun[] = [];
  const rng = new Rng(0xb3a5);
  for (let n = 0; n < count; n++) {
    const seed = rng.seed();
    const s: SimState = createState(seed);
    const actions: number[] = [];
    const push = (a: number) => {
      actions.push(a);
      advance(s, a as Action);
    };
    // Zigzag down, alternating sides, so cave-ins start and many cells are generated.
    const dir = n % 2 === 0 ? Action.LEFT : Action.RIGHT;
    while (actions.length < 1200 && s.ended === EndReason.RUNNING) {
      for (let k = 0; k < 8 && s.ended === EndReason.RUNNING; k++) push(Action.DOWN);
      for (let k = 0; k < 4 && s.ended === EndReason.RUNNING; k++) push(dir);
    }
    // Then bump into whatever blocks the way down, every allowed tick, to the end.
    while (actions.length < MAX_TICKS) actions.push(n % 3 === 0 ? Action.DOWN : dir);
    out.push({ kind: "adversarial", seed, inputs: noisy(seed, actions) });
  }
  return out;
}

export default {
  name: "sim",
  async run(): Promise<Record<string, number>> {
    const runs = fullLengthRuns(24);
    // Warm up, then rounds of ~1 s each.
    for (const r of runs) replay(r.seed, r.inputs);
    const rates: number[] = [];
    for (let round = 0; round < 7; round++) {
      const t0 = performance.now();
      let n = 0;
      while (performance.now() - t0 < 1000) {
        const r = runs[n % runs.length]!;
        replay(r.seed, r.inputs);
        n++;
      }
      rates.push((n * 1000) / (performance.now() - t0));
    }

    const { viem } = await productionNetwork(); // deploys the production build, checked
    const client = (await viem.getPublicClient()) as unknown as PublicClient;
    const replayer = (await viem.deployContract("SurgeReplayer")).address;
    // Every generated run also in its dearest encoding (same play, one token per ignored tick).
    const generated = [
      ...runs,
      ...Array.from({ length: 96 }, (_, i) => generateRun(5, i)).filter((r) => r.kind !== "malformed"),
      ...Array.from({ length: 24 }, (_, i) => generateHazardRun(5, i)),
    ];
    const extra: Candidate[] = [
      ...generated,
      ...generated.map((r) => ({ kind: `${r.kind}, dearest encoding`, seed: r.seed, inputs: noisy(r.seed, [...decodeInputs(r.inputs)]) })),
      ...adversarialRuns(24),
      ...knownDearest(),
    ];
    const rng = new Rng(0x5eed);
    const seeds = Array.from({ length: 12 }, () => rng.seed());
    const { gas: max, candidate: worst, tried } = await searchDearest(seeds, 6, extra, async (c) =>
      Number(await estimateReplayGas(client, replayer, c.seed, c.inputs)),
    );
    const w = replay(worst.seed, worst.inputs);
    console.error(
      `  most expensive of ${tried} candidates: ${worst.kind}, ${w.ticks} ticks, gold ${w.gold}, depth ${w.maxDepth}, ` +
        `${worst.inputs.length} input bytes, seed ${worst.seed}`,
    );
    // Kept so the dearest run can be replayed and profiled: npm run replay -- --seed S --inputs I --onchain
    writeFileSync(
      WORST_FILE,
      JSON.stringify({ gas: max, kind: worst.kind, seed: worst.seed, inputs: bytesToHex(worst.inputs) }, null, 1) + "\n",
    );
    console.error(`  wrote it to ${WORST_FILE}`);
    return {
      "sim.replaysPerSecond": Math.round(median(rates)),
      "sim.replayGasMax": max,
    };
  },
};

/**
 * sim.replaysPerSecond: full-length (3,600-tick) runs replayed by the TypeScript core on one core, median of
 * several one-second rounds. sim.replayGasMax: the most gas any run we can construct costs to replay on-chain,
 * over realistic, scripted and adversarial candidates (the bench prints which one).
 */
import type { PublicClient } from "viem";
import { estimateReplayGas } from "../../game/chain/rules.js";
import {
  Action,
  advance,
  createState,
  encodeInputs,
  EndReason,
  MAX_TICKS,
  replay,
  type SimState,
} from "../../game/sim/index.js";
import { generateRun, Rng, type GeneratedRun } from "../../test/helpers/runs.js";
import { productionNetwork } from "../lib/production-build.js";

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
    out.push({ kind: "adversarial", seed, inputs: encodeInputs(actions) });
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
    const candidates = [
      ...runs,
      ...adversarialRuns(24),
      ...Array.from({ length: 96 }, (_, i) => generateRun(5, i)).filter((r) => r.kind !== "malformed"),
    ];
    let max = 0;
    let worst: GeneratedRun = candidates[0]!;
    for (const c of candidates) {
      const gas = Number(await estimateReplayGas(client, replayer, c.seed, c.inputs));
      if (gas > max) {
        max = gas;
        worst = c;
      }
    }
    const w = replay(worst.seed, worst.inputs);
    console.error(
      `  most expensive of ${candidates.length} candidates: ${worst.kind}, ${w.ticks} ticks, ` +
        `${worst.inputs.length} input bytes, seed ${worst.seed}`,
    );
    return {
      "sim.replaysPerSecond": Math.round(median(rates)),
      "sim.replayGasMax": max,
    };
  },
};

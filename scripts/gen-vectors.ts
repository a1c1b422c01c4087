/**
 * Writes test/vectors/sim-vectors.json: the shared test vectors that both implementations check (the TS tests
 * in test/sim, the Solidity tests in test/contracts). Expected values come from the TypeScript reference at
 * the time of writing; once committed they pin the rules: a change to the rules must regenerate them
 * (`npm run vectors`) on purpose, and review sees the diff.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  Action,
  bytesToHex,
  encodeInputs,
  EndReason,
  Event,
  InputError,
  MAX_SURGE,
  MAX_TICKS,
  replay,
} from "../game/sim/index.js";
import { profileRun } from "../test/helpers/profile.js";
import {
  Action as A,
  advance,
  createState,
  INPUT_HEADER_BYTES,
} from "../game/sim/index.js";
import { campaignRun, generateHazardRun, generateRun, type GeneratedRun } from "../test/helpers/runs.js";

type Accept = {
  name: string;
  seed: string;
  inputs: string;
  gold: number;
  ticks: number;
  maxDepth: number;
  lives: number;
  energy: number;
  digest: number;
};
type Reject = { name: string; seed: string; inputs: string; error: string; offset: number };

const SEED_A = "0x5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";
const SEED_B = "0x00000000000000000000000000000000000000000000000000000000deadbeef";
const SEED_ZERO = "0x" + "00".repeat(32);
const SEED_MAX = "0x" + "ff".repeat(32);

const repeat = (a: number, n: number): number[] => new Array<number>(n).fill(a);

/** Hand-written scenarios: each exercises one rule in isolation. */
const scenarios: { name: string; seed: string; actions: number[] }[] = [
  { name: "no ticks", seed: SEED_A, actions: [] },
  { name: "idle for the whole run", seed: SEED_A, actions: repeat(Action.NONE, MAX_TICKS) },
  { name: "walk into the left edge", seed: SEED_A, actions: repeat(Action.LEFT, 200) },
  { name: "walk into the right edge", seed: SEED_B, actions: repeat(Action.RIGHT, 200) },
  { name: "up at the surface is blocked", seed: SEED_A, actions: repeat(Action.UP, 50) },
  { name: "dig straight down", seed: SEED_A, actions: repeat(Action.DOWN, MAX_TICKS) },
  { name: "dig straight down, zero seed", seed: SEED_ZERO, actions: repeat(Action.DOWN, MAX_TICKS) },
  { name: "dig straight down, all-ones seed", seed: SEED_MAX, actions: repeat(Action.DOWN, MAX_TICKS) },
  {
    name: "zigzag",
    seed: SEED_B,
    actions: Array.from({ length: MAX_TICKS }, (_, i) => [Action.DOWN, Action.LEFT, Action.DOWN, Action.RIGHT][(i >> 5) & 3]!),
  },
  { name: "one tick of every action", seed: SEED_B, actions: [0, 1, 2, 3, 4] },
];

const profile = (run: GeneratedRun) => profileRun(run.seed, run.inputs);

const accept: Accept[] = [];
const reject: Reject[] = [];

function add(name: string, seed: string, inputs: Uint8Array): void {
  try {
    const r = replay(seed, inputs);
    accept.push({ name, seed, inputs: bytesToHex(inputs), ...r });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    reject.push({ name, seed, inputs: bytesToHex(inputs), error: e.code, offset: e.offset });
  }
}

for (const sc of scenarios) add(sc.name, sc.seed, encodeInputs(sc.actions));

// Generated runs chosen so that every event and every way a run ends appears at least once.
const wanted: [string, (p: ReturnType<typeof profile>) => boolean][] = [
  ["crushed by a falling rock", (p) => (p.events & Event.CRUSH) !== 0],
  ["gas blast", (p) => (p.events & Event.GAS) !== 0],
  ["canteen", (p) => (p.events & Event.CANTEEN) !== 0],
  ["rock breaks", (p) => (p.events & Event.BREAK) !== 0],
  ["rock lands", (p) => (p.events & Event.ROCK_LAND) !== 0],
  ["surge reaches the maximum", (p) => p.maxSurge === MAX_SURGE],
  ["surge lost", (p) => (p.events & Event.SURGE_LOST) !== 0],
  ["ends out of lives", (p) => p.end === EndReason.OUT_OF_LIVES],
  ["ends exhausted", (p) => p.end === EndReason.EXHAUSTED],
  ["ends on time", (p) => p.end === EndReason.TIME],
];
const used = new Set<number>();
for (const [name, test] of wanted) {
  let found = false;
  for (let i = 0; i < 4000 && !found; i++) {
    const run = generateRun(7, i);
    if (run.kind === "malformed" || used.has(i)) continue;
    if (test(profile(run))) {
      add(`${name} (${run.kind} #${i})`, run.seed, run.inputs);
      used.add(i);
      found = true;
    }
  }
  if (!found) throw new Error(`no generated run shows "${name}": the generators no longer reach that rule`);
}
// Two events in one tick: the order of the phases decides the result, so both languages must agree on it.
/** The events of each tick at which the run raised two or more of `mask`, with the lives before that tick. */
function sameTickEvents(run: GeneratedRun, mask: number): { events: number; livesBefore: number }[] {
  const s = createState(run.seed);
  const out: { events: number; livesBefore: number }[] = [];
  for (let i = INPUT_HEADER_BYTES; i < run.inputs.length; i++) {
    for (let r = (run.inputs[i]! & 31) + 1; r > 0 && s.ended === EndReason.RUNNING; r--) {
      const livesBefore = s.lives;
      advance(s, (run.inputs[i]! >>> 5) as A);
      const e = s.events & mask;
      if (e & (e - 1)) out.push({ events: e, livesBefore });
    }
  }
  return out;
}
const SAME_TICK = Event.GAS | Event.CRUSH | Event.PICKUP | Event.CANTEEN;
const sameTick: [string, (e: { events: number; livesBefore: number }) => boolean][] = [
  ["gas and a falling rock in one tick", (e) => e.events === (Event.GAS | Event.CRUSH)],
  ["a pickup as a rock lands on the prospector", (e) => e.events === (Event.PICKUP | Event.CRUSH)],
  ["a canteen as a rock lands on the prospector", (e) => e.events === (Event.CANTEEN | Event.CRUSH)],
];
for (const [name, test] of sameTick) {
  let found = false;
  for (let i = 0; i < 3000 && !found; i++) {
    const run = generateHazardRun(7, i);
    if (sameTickEvents(run, SAME_TICK).some(test)) {
      add(`${name} (${run.kind} #${i})`, run.seed, run.inputs);
      found = true;
    }
  }
  if (!found) throw new Error(`no hazard run shows "${name}": the generators no longer reach that rule`);
}
// Two hits in one tick on the last life: lives must stop at zero and the run end there (found by a fuzzer
// outside the project, where TypeScript went on at -1 lives and Solidity panicked), and one from our campaign.
add(
  "two hits in one tick on the last life (outside fuzzer's case)",
  "0x9111d7edaf8568309a8acf40741553532374b66b1aca3eead80ac6c4bc77cb3a",
  Uint8Array.from(Buffer.from("01006420012001200120012001800280028002800280028002201e400180024002800240022001800440", "hex")),
);
{
  const run = campaignRun(1, 1855);
  if (!sameTickEvents(run, Event.GAS | Event.CRUSH).some((e) => e.livesBefore === 1)) {
    throw new Error("parity campaign run 1855 no longer shows two hits on the last life: pick another");
  }
  add(`two hits in one tick on the last life (${run.kind}, parity campaign run 1855)`, run.seed, run.inputs);
}
for (let i = 0; i < 12; i++) {
  const run = generateHazardRun(11, i);
  add(`generated ${run.kind} #${i}`, run.seed, run.inputs);
}
for (let i = 0; i < 24; i++) {
  const run = generateRun(11, i);
  add(`generated ${run.kind} #${i}`, run.seed, run.inputs);
}

// Malformed inputs, one per rule, then edge cases around each rule.
const raw: [string, number[]][] = [
  ["empty", []],
  ["header cut after the version", [1]],
  ["header cut in the tick count", [1, 0]],
  ["version 0", [0, 0, 1, 0x00]],
  ["version 2", [2, 0, 1, 0x00]],
  ["3601 ticks declared", [1, 0x0e, 0x11, 0x00]],
  ["65535 ticks declared", [1, 0xff, 0xff]],
  ["3600 ticks declared, none given", [1, 0x0e, 0x10]],
  ["trailing byte after the last tick", [1, 0, 1, 0x00, 0x00]],
  ["trailing byte after zero ticks", [1, 0, 0, 0x80]],
  ["action 5", [1, 0, 1, 0xa0]],
  ["action 7", [1, 0, 32, 0xff]],
  ["unknown action after valid ones", [1, 0, 3, 0x01, 0xc0]],
  ["token runs past the declared ticks", [1, 0, 5, 0x05]],
  ["last of several tokens overruns", [1, 0, 40, 0x1f, 0x9f]],
  ["tokens cover too few ticks", [1, 0, 10, 0x04]],
  ["tokens cover too few ticks (full length)", [1, 0x0e, 0x10, ...repeat(0x9f, 112)]],
  ["idle split in two tokens", [1, 0, 4, 0x01, 0x01]],
  ["down split after a short token", [1, 0, 40, 0x87, 0x9f]],
  ["split reported before the overrun it causes", [1, 0, 3, 0x01, 0x01]],
  ["split after other tokens", [1, 0, 9, 0x20, 0x82, 0x40, 0x41]],
  ["full idle token then idle again (canonical)", [1, 0, 33, 0x1f, 0x00]],
];
for (const [name, bytes] of raw) add(name, SEED_A, Uint8Array.from(bytes));
for (let i = 0; i < 16; i++) {
  const run = generateRun(13, i * 8 + 7); // the malformed kind
  add(`generated malformed #${i}`, run.seed, run.inputs);
}

const out = fileURLToPath(new URL("../test/vectors/sim-vectors.json", import.meta.url));
writeFileSync(
  out,
  JSON.stringify(
    {
      generated: "by scripts/gen-vectors.ts (npm run vectors); do not edit by hand",
      acceptCount: accept.length,
      rejectCount: reject.length,
      accept,
      reject,
    },
    null,
    1,
  ) + "\n",
);
console.log(`wrote ${accept.length} accepted and ${reject.length} rejected vectors to test/vectors/sim-vectors.json`);

/**
 * `npm run demo`: plays a demo run of the deterministic core in the terminal and draws the mine it dug (no chain,
 * no browser). `npm start` runs the whole network.
 */
import {
  Action,
  advance,
  bytesToHex,
  Cell,
  cellAt,
  createState,
  decodeInputs,
  EndReason,
  encodeInputs,
  type SimState,
} from "../game/sim/index.js";
import { generateRun } from "../test/helpers/runs.js";

const GLYPH: Record<number, string> = {
  [Cell.EMPTY]: " ",
  [Cell.DIRT]: ".",
  [Cell.ROCK]: "#",
  [Cell.BOULDER]: "O",
  [Cell.BEDROCK]: "█",
  [Cell.GAS]: "~",
  [Cell.NUGGET]: "o",
  [Cell.ORE]: "$",
  [Cell.BIG_NUGGET]: "&",
  [Cell.GEM]: "*",
  [Cell.CANTEEN]: "+",
  [Cell.FALLING]: "v",
};

// A demo run played by the test agent: the first generated full-length agent run that survives a while.
let demo = generateRun(2, 4);
for (let i = 4; i < 400; i += 8) {
  const r = generateRun(2, i);
  if (r.inputs.length > 100) {
    demo = r;
    break;
  }
}
const s: SimState = createState(demo.seed);
const actions = Array.from(decodeInputs(demo.inputs));
for (const a of actions) {
  if (s.ended !== EndReason.RUNNING) break;
  advance(s, a as Action);
}

const top = Math.max(0, s.y - 14);
const rows: string[] = [];
for (let y = top; y < top + 22; y++) {
  let line = `${String(y).padStart(3)} |`;
  for (let x = 0; x < 16; x++) line += x === s.x && y === s.y ? "@" : GLYPH[cellAt(s, x, y)]!;
  rows.push(line + "|");
}
const ended = ["running", "time up", "out of energy", "out of lives", "inputs ended"][s.ended]!;
console.log(`Surge Gold: a demo run of the deterministic core (seed ${demo.seed.slice(0, 10)}…)\n`);
console.log(rows.join("\n"));
console.log(`\n  @ prospector  . dirt  # rock  O boulder  █ bedrock  ~ gas  o nugget  $ ore  & big nugget  * gem  + canteen`);
console.log(`\n  gold ${s.gold}   depth ${s.maxDepth}   lives ${s.lives}   energy ${s.energy}   ticks ${s.tick} (${ended})`);
console.log(`
The local devnet (chain + contracts + workers + browser game) is not built yet. What works today:
  npm test                                   type checks, lint, Solidity and TypeScript tests, parity
  npm run replay -- --seed ${demo.seed.slice(0, 10)}… --inputs 0x… [--onchain]
  npm run bench                              replay speed and on-chain replay gas
Replay this exact run:
  npm run replay -- --seed ${demo.seed} --inputs ${bytesToHex(encodeInputs(actions.slice(0, s.tick)))} --onchain`);

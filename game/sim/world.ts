/**
 * World generation: a cell's type is a pure function of the seed words and its coordinates, so nothing is
 * stored until the prospector changes it. `SurgeRules.sol` (`_generate`) is the Solidity twin.
 */
import { DEPTH } from "./constants.js";
import { cellHash, zoneHash } from "./hash.js";

/** Cell types. FALLING exists only for rocks in motion; generation never yields it. */
export const Cell = {
  EMPTY: 0,
  DIRT: 1,
  ROCK: 2,
  BOULDER: 3,
  BEDROCK: 4,
  GAS: 5,
  NUGGET: 6,
  ORE: 7,
  BIG_NUGGET: 8,
  GEM: 9,
  CANTEEN: 10,
  FALLING: 11,
} as const;
export type CellType = (typeof Cell)[keyof typeof Cell];

export const CELL_NAMES: Record<CellType, string> = {
  0: "empty",
  1: "dirt",
  2: "rock",
  3: "boulder",
  4: "bedrock",
  5: "gas",
  6: "nugget",
  7: "ore",
  8: "big nugget",
  9: "gem",
  10: "canteen",
  11: "falling rock",
};

/**
 * Bands out of 1024, by depth tier (`y >> 5`, 0..9): deeper is richer and more dangerous. The low ten bits of
 * the cell hash pick treasure; in a rich zone (one 4x4 zone in eight) gold and gems are three times as likely
 * and nuggets twice. The next ten bits pick the terrain of every cell that holds no treasure.
 */
export function generateCell(k0: number, k1: number, x: number, y: number): CellType {
  if (y === 0) return Cell.EMPTY;
  if (y >= DEPTH - 1) return Cell.BEDROCK;
  const h = cellHash(k0, k1, x, y);
  const tier = y >>> 5;
  const r = h & 1023;
  const gem = 1 + tier;
  const big = 6 + 2 * tier;
  const ore = 18 + 3 * tier;
  const nugget = 40;
  // The zone hash is needed only when r could fall in a treasure band at its widest.
  if (r < 3 * (gem + big + ore) + 2 * nugget) {
    const rich = (zoneHash(k0, k1, x, y) & 7) === 0;
    const m = rich ? 3 : 1;
    let t = gem * m;
    if (r < t) return Cell.GEM;
    t += big * m;
    if (r < t) return Cell.BIG_NUGGET;
    t += ore * m;
    if (r < t) return Cell.ORE;
    t += rich ? 2 * nugget : nugget;
    if (r < t) return Cell.NUGGET;
  }
  const q = (h >>> 10) & 1023;
  let t = 10;
  if (q < t) return Cell.CANTEEN;
  t += 6 + 4 * tier;
  if (q < t) return Cell.GAS;
  t += 16 + 4 * tier;
  if (q < t) return Cell.BOULDER;
  t += 90 + 12 * tier;
  if (q < t) return Cell.ROCK;
  t += 4 + 2 * tier;
  if (q < t) return Cell.BEDROCK;
  return Cell.DIRT;
}

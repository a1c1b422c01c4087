/** Frames of the sprite sheets that scripts/gen-art.ts draws into public/assets, and the screen geometry. */
import { Cell, type CellType } from "../../../sim/index.js";

/** Source pixels per tile and the on-screen scale. */
export const TILE_PX = 16;
export const SCALE = 2;
export const CELL = TILE_PX * SCALE;
export const COLS = 16;
/** Rows on screen; the prospector is kept `LOOK_UP` rows below the top, so you see where you dig. */
export const ROWS = 18;
export const LOOK_UP = 6;
export const VIEW_W = COLS * CELL;
export const VIEW_H = ROWS * CELL;

export const TILE_FRAME = {
  TUNNEL: 0,
  DIRT: 1,
  ROCK: 2, // + damage (0..2)
  BOULDER: 5, // + damage (0..1)
  BEDROCK: 7,
  GAS: 8,
  NUGGET: 9,
  ORE: 10,
  BIG_NUGGET: 11,
  GEM: 12,
  CANTEEN: 13,
  FALLING: 14,
  SKY: 15,
} as const;

export const MINER_FRAME = { WALK_A: 0, WALK_B: 1, DIG_UP: 2, DIG_DOWN: 3, HURT: 4 } as const;
export const PARTICLE_FRAME = { DIRT: 0, SPARK: 1, GAS: 2, DUST: 3, STAR: 4 } as const;

/** The frame that shows cell type `type` (with `damage` hits taken) at row `y`. */
export function tileFrame(type: CellType, damage: number, y: number): number {
  switch (type) {
    case Cell.EMPTY:
      return y === 0 ? TILE_FRAME.SKY : TILE_FRAME.TUNNEL;
    case Cell.DIRT:
      return TILE_FRAME.DIRT;
    case Cell.ROCK:
      return TILE_FRAME.ROCK + Math.min(damage, 2);
    case Cell.BOULDER:
      return TILE_FRAME.BOULDER + Math.min(damage, 1);
    case Cell.BEDROCK:
      return TILE_FRAME.BEDROCK;
    case Cell.GAS:
      return TILE_FRAME.GAS;
    case Cell.NUGGET:
      return TILE_FRAME.NUGGET;
    case Cell.ORE:
      return TILE_FRAME.ORE;
    case Cell.BIG_NUGGET:
      return TILE_FRAME.BIG_NUGGET;
    case Cell.GEM:
      return TILE_FRAME.GEM;
    case Cell.CANTEEN:
      return TILE_FRAME.CANTEEN;
    case Cell.FALLING:
      return TILE_FRAME.FALLING;
  }
}

export const SURGE_COLORS = [0xffffff, 0xffffff, 0xffd84a, 0xff9a2a, 0xff4fd8] as const;
/** Text style of labels (Phaser parses `font` shorthands with several families poorly: spell it out). */
export const FONT = { fontFamily: "monospace", fontSize: "16px", fontStyle: "bold" } as const;

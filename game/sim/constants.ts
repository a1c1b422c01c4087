/**
 * Every number of the game's rules, in one place. `contracts/libraries/SurgeConstants.sol` mirrors this file;
 * the parity tests fail if the two disagree anywhere it matters.
 */

/** World width in cells. Must stay 16: a cell index is `y << 4 | x`. */
export const WIDTH = 16;
/** World depth in rows; row 0 is the surface, the last row is bedrock. */
export const DEPTH = 320;
/** Simulation rate: one input per tick. */
export const TICK_RATE = 20;
/** A run ends after at most this many ticks (3 minutes). */
export const MAX_TICKS = 3600;

export const START_X = 8;
export const START_Y = 0;
export const START_ENERGY = 300;
export const MAX_ENERGY = 600;
export const START_LIVES = 3;

/** Ticks the prospector waits after an action before the next input counts. */
export const MOVE_COOLDOWN = 2;
export const DIG_COOLDOWN = 3;
export const HIT_COOLDOWN = 3;
/** After a gas blast or a falling rock. */
export const STUN_COOLDOWN = 20;

export const DIG_COST = 1;
export const HIT_COST = 2;
export const CANTEEN_ENERGY = 60;
export const ROCK_HP = 3;
export const BOULDER_HP = 2;

/** A loose rock wobbles this many ticks before it falls, then falls one cell every FALL_TICKS. */
export const WOBBLE_TICKS = 12;
export const FALL_TICKS = 2;
/** At most this many rocks fall at once; a boulder undermined while all slots are busy stays put. */
export const MAX_FALLING = 6;

/** A gold pickup within SURGE_WINDOW ticks of the last one raises the multiplier, up to MAX_SURGE. */
export const SURGE_WINDOW = 30;
export const MAX_SURGE = 4;

/** Gold value of each treasure before the surge multiplier. */
export const NUGGET_VALUE = 5;
export const ORE_VALUE = 15;
export const BIG_NUGGET_VALUE = 40;
export const GEM_VALUE = 120;

/** Input byte string format (see codec.ts). */
export const INPUT_VERSION = 1;
export const INPUT_HEADER_BYTES = 3;
export const MAX_INPUT_BYTES = INPUT_HEADER_BYTES + MAX_TICKS;

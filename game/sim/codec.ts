/**
 * The compact input format. A run's inputs travel as bytes:
 *
 *   byte 0       format version (1)
 *   bytes 1..2   tick count T, big-endian, at most MAX_TICKS
 *   bytes 3..    tokens: action in the top 3 bits, (repeat - 1) in the low 5 bits, so 1..32 ticks each
 *
 * Every sequence of actions has exactly one encoding: a token may repeat the previous token's action only when
 * the previous token is full (32 ticks). So the bytes, and what an on-chain replay of them costs, depend on the
 * play alone, never on how somebody chose to split it (`encodeInputs` writes this form).
 *
 * The tokens must cover exactly T ticks. Validation is strict and its order is fixed, because the Solidity
 * codec (`InputCodec.sol`) must reject the same bytes with the same error.
 */
import { INPUT_HEADER_BYTES, INPUT_VERSION, MAX_TICKS } from "./constants.js";

export const Action = { NONE: 0, LEFT: 1, RIGHT: 2, UP: 3, DOWN: 4 } as const;
export type Action = (typeof Action)[keyof typeof Action];
export const ACTION_COUNT = 5;
export const MAX_REPEAT = 32;

export type InputErrorCode =
  | "HEADER_TRUNCATED"
  | "UNSUPPORTED_VERSION"
  | "TOO_MANY_TICKS"
  | "TRAILING_BYTES"
  | "UNKNOWN_ACTION"
  | "SPLIT_TOKEN"
  | "RUN_OVERRUN"
  | "TRUNCATED";

/** Malformed run inputs. `code` names the rule broken; `offset` is the byte at fault (or the length). */
export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly offset: number;
  constructor(code: InputErrorCode, offset: number, message: string) {
    super(message);
    this.name = "InputError";
    this.code = code;
    this.offset = offset;
  }
}

/**
 * Checks `bytes` against every rule and returns the tick count. Rules, in order: a 3-byte header; version 1;
 * T <= MAX_TICKS; then per token: no token after T ticks are covered, a known action, not the same action as a
 * previous token that had room left (canonical form), no token running past T; finally the tokens cover T.
 */
export function validateInputs(bytes: Uint8Array): number {
  if (bytes.length < INPUT_HEADER_BYTES) {
    throw new InputError(
      "HEADER_TRUNCATED",
      bytes.length,
      `inputs are ${bytes.length} bytes, shorter than the 3-byte header (version, tick count): re-encode the run`,
    );
  }
  if (bytes[0] !== INPUT_VERSION) {
    throw new InputError(
      "UNSUPPORTED_VERSION",
      0,
      `input format version ${bytes[0]} is not supported (expected ${INPUT_VERSION}): update the client or re-encode`,
    );
  }
  const ticks = (bytes[1]! << 8) | bytes[2]!;
  if (ticks > MAX_TICKS) {
    throw new InputError("TOO_MANY_TICKS", 1, `inputs declare ${ticks} ticks; a run has at most ${MAX_TICKS}`);
  }
  let covered = 0;
  for (let i = INPUT_HEADER_BYTES; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (covered === ticks) {
      throw new InputError(
        "TRAILING_BYTES",
        i,
        `byte ${i} follows the last of the ${ticks} declared ticks: trailing bytes are not allowed`,
      );
    }
    const action = b >>> 5;
    if (action >= ACTION_COUNT) {
      throw new InputError("UNKNOWN_ACTION", i, `byte ${i} holds unknown action ${action} (known: 0..4)`);
    }
    if (i > INPUT_HEADER_BYTES && action === bytes[i - 1]! >>> 5 && (bytes[i - 1]! & 31) !== MAX_REPEAT - 1) {
      throw new InputError(
        "SPLIT_TOKEN",
        i,
        `the token at byte ${i} repeats the action of a previous token that was not full: ` +
          `inputs must be in canonical form (encode them with encodeInputs)`,
      );
    }
    covered += (b & 31) + 1;
    if (covered > ticks) {
      throw new InputError(
        "RUN_OVERRUN",
        i,
        `the token at byte ${i} runs to tick ${covered}, past the ${ticks} declared ticks`,
      );
    }
  }
  if (covered < ticks) {
    throw new InputError(
      "TRUNCATED",
      bytes.length,
      `inputs cover ${covered} of the ${ticks} declared ticks: the byte string is truncated`,
    );
  }
  return ticks;
}

/** Encodes one action per tick. Throws on an action outside 0..4 or more than MAX_TICKS ticks. */
export function encodeInputs(actions: ArrayLike<number>): Uint8Array {
  const n = actions.length;
  if (n > MAX_TICKS) {
    throw new InputError("TOO_MANY_TICKS", 1, `cannot encode ${n} ticks; a run has at most ${MAX_TICKS}`);
  }
  const out: number[] = [INPUT_VERSION, n >>> 8, n & 0xff];
  let i = 0;
  while (i < n) {
    const a = actions[i]!;
    if (!Number.isInteger(a) || a < 0 || a >= ACTION_COUNT) {
      throw new InputError("UNKNOWN_ACTION", i, `tick ${i} has unknown action ${a} (known: 0..4)`);
    }
    let run = 1;
    while (run < MAX_REPEAT && i + run < n && actions[i + run] === a) run++;
    out.push((a << 5) | (run - 1));
    i += run;
  }
  return Uint8Array.from(out);
}

/** Expands valid inputs to one action per tick (for tools and the client's run review). */
export function decodeInputs(bytes: Uint8Array): Uint8Array {
  const ticks = validateInputs(bytes);
  const actions = new Uint8Array(ticks);
  let t = 0;
  for (let i = INPUT_HEADER_BYTES; i < bytes.length; i++) {
    const b = bytes[i]!;
    actions.fill(b >>> 5, t, t + (b & 31) + 1);
    t += (b & 31) + 1;
  }
  return actions;
}

/** Parses a 0x-prefixed hex string into bytes, strictly. */
export function hexToBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new Error(`not a 0x-prefixed hex byte string: ${hex.length > 20 ? hex.slice(0, 20) + "…" : hex}`);
  }
  const out = new Uint8Array((hex.length - 2) >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): `0x${string}` {
  let s = "0x";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return s as `0x${string}`;
}

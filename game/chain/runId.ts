/**
 * A run's id, as RunRegistry packs it (contracts/libraries/RunId.sol): `player << 96 | boostBps << 80 | nonce`, in one
 * uint256. The one TS codec of it: every reader takes the player, the boost and the nonce from here, never with raw
 * shifts. (What a boost does to gold is payout.ts `boosted`.) And the one short form a run is shown in, everywhere in
 * the UI: "run #<nonce>" for the player's own runs, "<0x1234…abcd> #<nonce>" where several players' runs show.
 */
import { getAddress, type Address } from "viem";

const NONCE_BITS = 80n;
const NONCE_MASK = (1n << NONCE_BITS) - 1n;
const BOOST_MASK = 0xffffn;
const U256 = 1n << 256n;

export interface RunIdParts {
  /** The player the run belongs to (GOLD is paid to it). */
  player: Address;
  /** The boost fixed at `startRun`, in basis points (RunRegistry caps it at 5,000). */
  boostBps: bigint;
  /** The player's run number, from 1. */
  nonce: bigint;
}

export class RunIdError extends Error {}

/** `RunIdLib.pack`: the id of `player`'s run number `nonce` with `boostBps`. */
export function encodeRunId({ player, boostBps, nonce }: RunIdParts): bigint {
  if (boostBps < 0n || boostBps > BOOST_MASK) throw new RunIdError(`boostBps ${boostBps} does not fit 16 bits`);
  if (nonce < 0n || nonce > NONCE_MASK) throw new RunIdError(`nonce ${nonce} does not fit 80 bits`);
  return (BigInt(getAddress(player)) << 96n) | (boostBps << NONCE_BITS) | nonce;
}

function check(runId: bigint): bigint {
  if (runId < 0n || runId >= U256) throw new RunIdError(`${runId} is not a run id (a uint256)`);
  return runId;
}

/** `RunIdLib.player`. */
export function runPlayer(runId: bigint): Address {
  return getAddress(`0x${(check(runId) >> 96n).toString(16).padStart(40, "0")}`);
}

/** `RunIdLib.boostBps`, in basis points. */
export function runBoostBps(runId: bigint): bigint {
  return (check(runId) >> NONCE_BITS) & BOOST_MASK;
}

/** `RunIdLib.nonce`: the player's run number, from 1. */
export function runNonce(runId: bigint): bigint {
  return check(runId) & NONCE_MASK;
}

export function decodeRunId(runId: bigint): RunIdParts {
  return { player: runPlayer(runId), boostBps: runBoostBps(runId), nonce: runNonce(runId) };
}

/** A player's address in short: `0x1234…abcd`. */
export function shortAddress(a: Address): string {
  const s = getAddress(a);
  return `${s.slice(0, 6)}…${s.slice(-4)}`;
}

/**
 * The one display form of a run: "run #<nonce>" when it is `viewer`'s own (or no viewer is given and the panel shows
 * one player's runs), "<0x1234…abcd> #<nonce>" when it is someone else's.
 */
export function runLabel(runId: bigint, viewer?: Address | null): string {
  const { player, nonce } = decodeRunId(runId);
  if (viewer === undefined || (viewer !== null && getAddress(viewer) === player)) return `run #${nonce}`;
  return `${shortAddress(player)} #${nonce}`;
}

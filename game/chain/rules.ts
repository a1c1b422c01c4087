/**
 * The game's rules on-chain, seen from TypeScript: call `SurgeReplayer.replay` and map its custom errors to the
 * same `InputErrorCode`s that `game/sim` throws, so callers can compare the two implementations directly.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { bytesToHex, type InputErrorCode, type RunResult } from "../sim/index.js";
import { surgeReplayerAbi } from "./generated/abis.js";

/** Solidity error name (InputCodec.sol) -> the TypeScript code (codec.ts) for the same rule. */
export const RULES_ERROR_CODES: Record<string, InputErrorCode> = {
  InputHeaderTruncated: "HEADER_TRUNCATED",
  UnsupportedInputVersion: "UNSUPPORTED_VERSION",
  TooManyTicks: "TOO_MANY_TICKS",
  TrailingInputBytes: "TRAILING_BYTES",
  UnknownAction: "UNKNOWN_ACTION",
  InputRunOverrun: "RUN_OVERRUN",
  InputTokenSplit: "SPLIT_TOKEN",
  InputsTruncated: "TRUNCATED",
};

/** Errors whose first argument is the byte offset at fault, as `InputError.offset` reports it. */
const OFFSET_ERRORS = new Set([
  "InputHeaderTruncated",
  "TrailingInputBytes",
  "UnknownAction",
  "InputTokenSplit",
  "InputRunOverrun",
]);

export type OnchainOutcome =
  | { ok: true; result: RunResult }
  | { ok: false; code: InputErrorCode; offset: number | null; error: string };

/** Replays a run through a deployed SurgeReplayer with eth_call. Input errors come back as outcomes. */
export async function replayOnchain(
  client: PublicClient,
  replayer: Address,
  seed: Hex,
  inputs: Uint8Array,
): Promise<OnchainOutcome> {
  try {
    const r = await client.readContract({
      address: replayer,
      abi: surgeReplayerAbi,
      functionName: "replay",
      args: [seed, bytesToHex(inputs)],
    });
    return {
      ok: true,
      result: {
        gold: r.gold,
        ticks: r.ticks,
        maxDepth: r.maxDepth,
        lives: r.lives,
        energy: r.energy,
        digest: r.digest,
      },
    };
  } catch (e) {
    const revert = e instanceof BaseError ? e.walk((x) => x instanceof ContractFunctionRevertedError) : null;
    if (revert instanceof ContractFunctionRevertedError && revert.data) {
      const name = revert.data.errorName;
      const code = RULES_ERROR_CODES[name];
      if (code) {
        const args = (revert.data.args ?? []) as readonly bigint[];
        const offset = OFFSET_ERRORS.has(name) && args[0] !== undefined ? Number(args[0]) : null;
        return { ok: false, code, offset, error: `${name}(${args.join(", ")})` };
      }
    }
    throw e;
  }
}

/** Gas that a transaction calling `replay` would use (eth_estimateGas: 21,000 base and calldata included). */
export async function estimateReplayGas(
  client: PublicClient,
  replayer: Address,
  seed: Hex,
  inputs: Uint8Array,
): Promise<bigint> {
  return client.estimateContractGas({
    address: replayer,
    abi: surgeReplayerAbi,
    functionName: "replay",
    args: [seed, bytesToHex(inputs)],
  });
}

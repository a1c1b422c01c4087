/**
 * Which runs a claim paid. RewardsClaimed says only how many (per-run logs would cost gas): the run ids are in the
 * claim transaction's input, `claim(player, RunClaim[])` or `claimPacked(player, bytes)` (layout in
 * game/chain/claims.ts). A claim made through another contract has other input: no runs are read from it, and the
 * goldClaim row says so (`runsDecoded` 0).
 */
import { decodeFunctionData, getAddress, hexToBigInt, size, slice, type Address, type Hex } from "viem";
import { rewardSettlementAbi } from "../../chain/generated/abis.js";

/** The run ids a claim transaction paid for `player`, or [] if its input is not a direct claim by that player. */
export function claimedRunIds(input: Hex, player: Address): bigint[] {
  let call;
  try {
    call = decodeFunctionData({ abi: rewardSettlementAbi, data: input });
  } catch {
    return [];
  }
  if (call.functionName === "claim") {
    const [who, claims] = call.args;
    return getAddress(who) === getAddress(player) ? claims.map((c) => c.runId) : [];
  }
  if (call.functionName === "claimPacked") {
    const [who, packed] = call.args;
    return getAddress(who) === getAddress(player) ? packedRunIds(packed) : [];
  }
  return [];
}

/**
 * Run ids of claimPacked's bytes: per claim a 45-byte head (uint32 epoch, uint32 index, the 32-byte run id, uint32
 * gold, uint8 proof length n), then n levels of 40 bytes (bytes32 hash, uint64 sum): game/chain/claims.ts.
 */
export function packedRunIds(packed: Hex): bigint[] {
  const ids: bigint[] = [];
  const end = size(packed);
  for (let p = 0; p + HEAD <= end; ) {
    ids.push(hexToBigInt(slice(packed, p + 8, p + 40)));
    const proofLength = Number(hexToBigInt(slice(packed, p + 44, p + 45)));
    p += HEAD + LEVEL * proofLength;
  }
  return ids;
}

const HEAD = 45;
const LEVEL = 40;

/**
 * Encodes run claims for `RewardSettlement.claimPacked`: per claim `uint32 epoch | uint32 index | uint256 runId |
 * uint32 gold | uint64 totalGold | uint8 proofLength | bytes32[proofLength]`, back to back (53 bytes + 32 per proof
 * node, against the ABI's 256 + 32 per node for `claim`). `totalGold` is the epoch's attested total (in its
 * EpochFinalized event): the contract checks it together with the root. Claims are best listed in run-nonce order: the contract then writes the
 * player's claim bitmap once per 256 runs.
 */
import { concatHex, numberToHex, type Hex } from "viem";

export interface RunClaim {
  epoch: bigint;
  index: bigint;
  runId: bigint;
  gold: bigint;
  totalGold: bigint;
  proof: readonly Hex[];
}

const U32 = 2n ** 32n;

export class ClaimEncodingError extends Error {}

/** True if `claimPacked` can carry the claim (else use `claim`, which takes any uint256). */
export function packable(c: RunClaim): boolean {
  return c.epoch < U32 && c.index < U32 && c.gold < U32 && c.totalGold < 2n ** 64n && c.proof.length < 256;
}

export function encodeClaims(claims: readonly RunClaim[]): Hex {
  const parts: Hex[] = [];
  for (const c of claims) {
    if (!packable(c)) {
      throw new ClaimEncodingError(
        `run ${c.runId}: epoch, index and gold must be below 2^32, totalGold below 2^64 and the proof under 256 nodes; ` +
          "use claim()",
      );
    }
    parts.push(
      numberToHex(c.epoch, { size: 4 }),
      numberToHex(c.index, { size: 4 }),
      numberToHex(c.runId, { size: 32 }),
      numberToHex(c.gold, { size: 4 }),
      numberToHex(c.totalGold, { size: 8 }),
      numberToHex(c.proof.length, { size: 1 }),
      ...c.proof,
    );
  }
  return parts.length === 0 ? "0x" : concatHex(parts);
}

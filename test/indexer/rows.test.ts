/**
 * The indexer's event → row helpers, without a chain: which runs a claim transaction paid (both claim forms, a
 * claim for another player, foreign input), the seed a run is replayed with, the fraud kinds' names, a withdrawal's
 * status through its events, and the rate of a report.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { encodeClaims, type RunClaim } from "../../game/chain/claims.js";
import { rewardSettlementAbi } from "../../game/chain/generated/abis.js";
import { claimedRunIds } from "../../game/indexer/lib/claims.js";
import { replaySeed } from "../../game/indexer/lib/replay.js";
import { FRAUD_NAMES } from "../../game/chain/fraud.js";
import {
  boostOfRunId,
  FRAUD,
  fraudName,
  rateE18,
  runStartedRow,
  runSubmittedUpdate,
  withdrawalClaimedUpdate,
  withdrawalFinalizedUpdate,
  withdrawalRequestRow,
} from "../../game/indexer/lib/rows.js";
import { bytesToHex, replay } from "../../game/sim/index.js";
import { shortInputs } from "../worker/harness.js";

const PLAYER = getAddress("0x00000000000000000000000000000000005eed01");
const OTHER = getAddress("0x00000000000000000000000000000000005eed02");
const runId = (nonce: bigint, boost = 0n) => (BigInt(PLAYER) << 96n) | (boost << 80n) | nonce;
const proof = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ hash: `0x${(i + 1).toString(16).padStart(64, "0")}` as Hex, sum: BigInt(7 * i) }));
const claims: RunClaim[] = [
  { epoch: 3n, index: 0n, runId: runId(1n), gold: 120n, proof: proof(3) },
  { epoch: 4n, index: 7n, runId: runId(2n, 2_500n), gold: 0n, proof: [] },
  { epoch: 9n, index: 1n, runId: runId(5n), gold: 15n, proof: proof(1) },
];

describe("indexer rows", () => {
  it("reads the paid runs from claimPacked and from claim, for the claim's player only", () => {
    const packed = encodeFunctionData({ abi: rewardSettlementAbi, functionName: "claimPacked", args: [PLAYER, encodeClaims(claims)] });
    assert.deepEqual(claimedRunIds(packed, PLAYER), claims.map((c) => c.runId));
    const abi = encodeFunctionData({
      abi: rewardSettlementAbi,
      functionName: "claim",
      args: [PLAYER, claims.map(({ epoch, index, runId, gold, proof }) => ({ epoch, index, runId, gold, proof: [...proof] }))],
    });
    assert.deepEqual(claimedRunIds(abi, PLAYER), claims.map((c) => c.runId));
    assert.deepEqual(claimedRunIds(packed, OTHER), [], "the event's player must be the call's");
    const finalize = encodeFunctionData({ abi: rewardSettlementAbi, functionName: "finalize", args: [1n] });
    assert.deepEqual(claimedRunIds(finalize, PLAYER), [], "another function: nothing read");
    assert.deepEqual(claimedRunIds("0xdeadbeef", PLAYER), [], "foreign input (a claim through a contract): nothing read");
  });

  it("replays a run from the seed RunSubmitted carries (RunStarted has none yet)", () => {
    const seed = `0x${"00".repeat(24)}0123456789abcdef` as Hex;
    const other = `0x${"00".repeat(24)}fedcba9876543210` as Hex;
    assert.equal(replaySeed({ seed }, {}), seed, "a seed already kept on the row");
    assert.equal(replaySeed({ seed }, { seed: other }), other, "the seed in RunSubmitted wins");
    assert.equal(replaySeed(undefined, {}), null, "no seed: no result rather than a guess");

    const id = runId(1n, 5_000n);
    const started = runStartedRow({ runId: id, player: PLAYER, boostBps: 5_000n, seedBlock: 11n, deadline: 99n }, { block: 10n, timestamp: 1_000n });
    assert.equal(started.boostBps, boostOfRunId(id));
    assert.equal(started.seed, null, "the seed is drawn after the start");
    const inputs = bytesToHex(shortInputs(1));
    const { result, update } = runSubmittedUpdate({ runId: id, player: PLAYER, epoch: 2n, seed, inputs }, started, { block: 12n, timestamp: 1_002n, logIndex: 3 });
    assert.equal(update.seed, seed);
    assert.equal(update.submitLogIndex, 3, "the log's place in its block breaks ties on the boards");
    assert.equal("index" in update, false, "RunSubmitted carries no index any more");
    const expected = replay(seed, shortInputs(1));
    assert.equal(update.gold, expected.gold);
    assert.equal(update.maxDepth, expected.maxDepth);
    assert.equal(result!.boostedGold, (BigInt(expected.gold) * 15_000n) / 10_000n, "boost 50%");
    assert.equal(update.inputsBytes, shortInputs(1).length);
    const bad = runSubmittedUpdate({ runId: id, player: PLAYER, epoch: 2n, seed, inputs: "0x01" }, started, { block: 12n, timestamp: 1_002n, logIndex: 4 });
    assert.equal(bad.update.gold, null, "inputs the sim refuses get no result");
  });

  it("names every fraud RootRejected can carry, as the fraud finder does", () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map(fraudName),
      ["WrongLeaf", "WrongSum", "WrongTotal", "BeyondCount", "WrongDepth", "Omitted", "Unordered", "Invented"],
    );
    assert.equal(fraudName(8), "fraud 8", "an unknown kind is shown by its number");
    // game/chain/fraud.ts (the fraud finder's list) must agree on every kind it names.
    FRAUD_NAMES.forEach((name, i) => assert.equal(FRAUD[i], name, `fraud ${i}`));
  });

  it("follows a withdrawal request: requested, finalized by a rebalance (claimable), claimed", () => {
    const owner = getAddress("0x00000000000000000000000000000000005eed03");
    const requested = withdrawalRequestRow({ requestId: 1n, owner, shares: 10n, assets: 100n, claimableBlock: 40n }, { block: 10n, timestamp: 1n });
    assert.deepEqual([requested.id, requested.owner, requested.assets, requested.claimableBlock], [1n, owner, 100n, 40n]);
    assert.deepEqual(withdrawalFinalizedUpdate({ assets: 97n }, { block: 41n, timestamp: 2n }), { status: "finalized", finalAssets: 97n, finalBlock: 41n });
    assert.deepEqual(withdrawalClaimedUpdate({ receiver: OTHER.toLowerCase() as Address, assets: 97n }, { block: 45n, timestamp: 3n }), {
      status: "claimed",
      receiver: OTHER,
      paid: 97n,
      claimBlock: 45n,
    });
  });

  it("prices sgETH (21 decimals) in ETH with 18", () => {
    assert.equal(rateE18(10n ** 18n, 10n ** 21n), 10n ** 18n);
    assert.equal(rateE18(1_050n * 10n ** 15n, 10n ** 21n), 1_050n * 10n ** 15n);
    assert.equal(rateE18(0n, 0n), 10n ** 18n, "an empty vault is at par");
  });
});

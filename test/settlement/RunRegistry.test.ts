import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeAbiParameters, getAddress, keccak256, parseEther, parseEventLogs } from "viem";
import { bytesToHex, encodeInputs, hexToBytes, INPUT_VERSION, replay } from "../../game/sim/index.js";
import { generateRun } from "../helpers/runs.js";
import {
  chainNow,
  BOOST_FULL_STAKE,
  drawSeed,
  EPOCH_BLOCKS,
  freshSettlement,
  MIN_LOCK_BLOCKS,
  networkHelpers,
  playRun,
  receiptOf,
  SGETH,
  startRun,
  SUBMIT_WINDOW,
  viem,
} from "./fixture.js";

const SHORT = encodeInputs([4, 4, 4, 1, 1]);

describe("RunRegistry: runs", () => {
  it("draws a seed from the block after the start, and ids that name the player", async () => {
    const s = await freshSettlement();
    const a = await startRun(s, s.p1);
    assert.equal(a.seedBlock, a.receipt.blockNumber + 1n);
    assert.equal(a.deadline, a.receipt.blockNumber + SUBMIT_WINDOW);
    assert.equal(await s.runs.read.seedBlockOf([a.runId]), a.seedBlock);
    assert.equal(await s.runs.read.playerOf([a.runId]), getAddress(s.p1.account.address));
    const seed = await drawSeed(s, a.runId);
    assert.equal(BigInt(seed) < 2n ** 64n, true, "the seed holds the 64 bits SurgeRules reads");
    // keccak256(abi.encode(blockhash(seedBlock), player, nonce, chainid, registry)), low 64 bits.
    const block = await s.publicClient.getBlock({ blockNumber: a.seedBlock });
    const expected = keccak256(
      encodeAbiParameters(
        [{ type: "bytes32" }, { type: "address" }, { type: "uint256" }, { type: "uint256" }, { type: "address" }],
        [block.hash, s.p1.account.address, a.runId & (2n ** 80n - 1n), BigInt(await s.publicClient.getChainId()), s.runs.address],
      ),
    );
    assert.equal(BigInt(seed), BigInt(expected) & (2n ** 64n - 1n));
    const run = await s.runs.read.runOf([a.runId]);
    assert.equal(run.status, 1);
    assert.equal(await s.runs.read.lastRunOf([s.p1.account.address]), a.runId);
    // Another player gets another seed.
    const b = await startRun(s, s.p2);
    assert.notEqual(await drawSeed(s, b.runId), seed);
  });

  it("allows one active run per player until it is submitted or its deadline passes", async () => {
    const s = await freshSettlement();
    const a = await startRun(s, s.p1);
    await viem.assertions.revertWithCustomError(s.runs.write.startRun({ account: s.p1.account }), s.runs, "RunAlreadyActive");
    await drawSeed(s, a.runId);
    await s.runs.write.submitRun([a.runId, bytesToHex(SHORT)], { account: s.p1.account });
    const b = await startRun(s, s.p1);
    await networkHelpers.mine(SUBMIT_WINDOW + 1n);
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([b.runId, bytesToHex(SHORT)], { account: s.p1.account }),
      s.runs,
      "SubmitDeadlinePassed",
    );
    const c = await startRun(s, s.p1); // the expired run no longer blocks
    assert.notEqual(c.runId, b.runId);
  });

  it("submits once, assigns the epoch (no index: nothing counts an epoch's runs), emits the inputs and stores their hash", async () => {
    const s = await freshSettlement();
    const a = await startRun(s, s.p1);
    const b = await startRun(s, s.p2);
    await drawSeed(s, b.runId);
    const inputs = generateRun(4, 3).inputs;
    const receipt = await receiptOf(s, s.runs.write.submitRun([b.runId, bytesToHex(inputs)], { account: s.p2.account }));
    const [ev] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunSubmitted" });
    assert.equal(hexToBytes(ev!.args.inputs!).length, inputs.length);
    assert.ok(!("index" in ev!.args), "RunSubmitted has no index");
    const epoch = await s.runs.read.epochOf([receipt.blockNumber]);
    assert.equal(ev!.args.epoch, epoch);
    await s.runs.write.submitRun([a.runId, bytesToHex(SHORT)], { account: s.p1.account });
    const runA = await s.runs.read.runOf([a.runId]);
    assert.ok(!("index" in runA), "a run has no index in its epoch");
    assert.equal(BigInt(runA.status), 2n, "Submitted");
    assert.equal(await s.runs.read.inputsHashOf([b.runId]), (await import("viem")).keccak256(bytesToHex(inputs)));
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([a.runId, bytesToHex(SHORT)], { account: s.p1.account }),
      s.runs,
      "RunAlreadySubmitted",
    );
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([a.runId + 1n, bytesToHex(SHORT)], { account: s.p1.account }),
      s.runs,
      "RunNotFound",
    );
    assert.equal(await s.runs.read.epochEnd([epoch]), s.genesis + (epoch + 1n) * EPOCH_BLOCKS);
  });

  it("rejects malformed inputs with InputCodec's precise error", async () => {
    const s = await freshSettlement();
    const cases: [Uint8Array, string][] = [
      [Uint8Array.from([INPUT_VERSION, 0]), "InputHeaderTruncated"],
      [Uint8Array.from([2, 0, 1, 0]), "UnsupportedInputVersion"],
      [Uint8Array.from([INPUT_VERSION, 0x0e, 0x11]), "TooManyTicks"],
      [Uint8Array.from([INPUT_VERSION, 0, 1, 0, 0]), "TrailingInputBytes"],
      [Uint8Array.from([INPUT_VERSION, 0, 1, 0xa0]), "UnknownAction"],
      [Uint8Array.from([INPUT_VERSION, 0, 1, 0x01]), "InputRunOverrun"],
      [Uint8Array.from([INPUT_VERSION, 0, 3, 0x00]), "InputsTruncated"],
    ];
    const a = await startRun(s, s.p1);
    await drawSeed(s, a.runId);
    for (const [bytes, error] of cases) {
      await assert.rejects(
        s.runs.write.submitRun([a.runId, bytesToHex(bytes)], { account: s.p1.account }),
        (e: Error) => e.message.includes(error),
        error,
      );
    }
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([a.runId, bytesToHex(new Uint8Array(3604))], { account: s.p1.account }),
      s.runs,
      "InputsTooLong",
    );
  });

  it("accepts exactly the inputs game/sim accepts (fast scan vs the reference codec)", async () => {
    const s = await freshSettlement();
    const harness = await viem.deployContract("InputScanHarness");
    let malformed = 0;
    for (let i = 0; i < 240; i++) {
      const run = generateRun(21, i);
      let ok = true;
      try {
        replay(run.seed, run.inputs);
      } catch {
        ok = false;
        malformed++;
      }
      assert.equal(await harness.read.isValid([bytesToHex(run.inputs)]), ok, `run ${i} (${run.kind})`);
      assert.equal(await harness.read.codecAccepts([bytesToHex(run.inputs)]), ok, `codec, run ${i}`);
    }
    assert.ok(malformed >= 25);
    void s;
  });

  it("lets a session key start and submit for the player, until it expires; never for others", async () => {
    const s = await freshSettlement();
    const now = await chainNow();
    await viem.assertions.revertWithCustomError(
      s.runs.write.startRunFor([s.p1.account.address], { account: s.sessionKey.account }),
      s.runs,
      "NotAuthorized",
    );
    await s.runs.write.authorizeSessionKey([s.sessionKey.account.address, now + 1000n], { account: s.p1.account });
    assert.equal(await s.runs.read.isAuthorized([s.p1.account.address, s.sessionKey.account.address]), true);
    const run = await playRun(s, s.p1, SHORT, s.sessionKey);
    assert.equal(run.player, getAddress(s.p1.account.address));
    // The key cannot act for another player, nor submit another player's run.
    await viem.assertions.revertWithCustomError(
      s.runs.write.startRunFor([s.p2.account.address], { account: s.sessionKey.account }),
      s.runs,
      "NotAuthorized",
    );
    const other = await startRun(s, s.p2);
    await viem.assertions.revertWithCustomError(
      s.runs.write.submitRun([other.runId, bytesToHex(SHORT)], { account: s.sessionKey.account }),
      s.runs,
      "NotAuthorized",
    );
    await networkHelpers.time.increase(2000);
    await viem.assertions.revertWithCustomError(
      s.runs.write.startRunFor([s.p1.account.address], { account: s.sessionKey.account }),
      s.runs,
      "NotAuthorized",
    );
    await viem.assertions.revertWithCustomError(
      s.runs.write.authorizeSessionKey([s.p1.account.address, now + 10_000n], { account: s.p1.account }),
      s.runs,
      "InvalidSessionKey",
    );
  });

  it("knows nothing of runs started on another deployment (ids and seeds are per registry)", async () => {
    const s = await freshSettlement();
    const twin = await viem.deployContract("RunRegistry", [
      s.vault.address,
      BigInt(await networkHelpers.time.latestBlock()),
      EPOCH_BLOCKS,
      SUBMIT_WINDOW,
      MIN_LOCK_BLOCKS,
      BOOST_FULL_STAKE,
    ]);
    // The same player starts on both in the same block: same id, same seed block.
    const test = await viem.getTestClient();
    await test.setAutomine(false);
    const here = await s.runs.write.startRun({ account: s.p1.account });
    const there = await twin.write.startRun({ account: s.p1.account });
    await networkHelpers.mine(1);
    await test.setAutomine(true);
    const [a] = parseEventLogs({ abi: s.runs.abi, logs: (await receiptOf(s, here)).logs, eventName: "RunStarted" });
    const [b] = parseEventLogs({ abi: twin.abi, logs: (await receiptOf(s, there)).logs, eventName: "RunStarted" });
    assert.equal(b!.args.runId, a!.args.runId, "same player and nonce give the same id...");
    assert.equal(b!.args.seedBlock, a!.args.seedBlock);
    const seedHere = await drawSeed(s, a!.args.runId!);
    assert.notEqual(await twin.read.seedOf([a!.args.runId!]), seedHere, "...but another seed: the registry's address is in it");
    await viem.assertions.revertWithCustomError(
      twin.write.submitRun([a!.args.runId! + 1n, bytesToHex(SHORT)], { account: s.p1.account }),
      twin,
      "RunNotFound",
    );
  });

  it("submits a typical three-minute run under 120,000 gas", async () => {
    const s = await freshSettlement();
    const lengths: { i: number; n: number }[] = [];
    for (let i = 4; i < 400; i += 8) lengths.push({ i, n: generateRun(11, i).inputs.length });
    lengths.sort((a, b) => a.n - b.n);
    const typical = generateRun(11, lengths[lengths.length >> 1]!.i);
    assert.equal(typical.kind, "agent-full");
    const a = await startRun(s, s.p1);
    await drawSeed(s, a.runId);
    const receipt = await receiptOf(s, s.runs.write.submitRun([a.runId, bytesToHex(typical.inputs)], { account: s.p1.account }));
    assert.ok(receipt.gasUsed <= 120_000n, `submitRun used ${receipt.gasUsed} gas for ${typical.inputs.length} bytes`);
  });
});

describe("RunRegistry: stakes and boosts", () => {
  it("cannot be re-entered through a token hook to unlock twice", async () => {
    const token = await viem.deployContract("MockHookToken");
    const genesis = BigInt(await networkHelpers.time.latestBlock());
    const registry = await viem.deployContract("RunRegistry", [
      token.address,
      genesis,
      EPOCH_BLOCKS,
      SUBMIT_WINDOW,
      MIN_LOCK_BLOCKS,
      BOOST_FULL_STAKE,
    ]);
    const attacker = await viem.deployContract("ReentrantReceiver");
    const { encodeFunctionData } = await import("viem");
    await token.write.mint([attacker.address, 2n * SGETH]);
    await token.write.mint([registry.address, 5n * SGETH]); // other players' stakes, as bait
    await attacker.write.execute([
      token.address,
      encodeFunctionData({ abi: token.abi, functionName: "approve", args: [registry.address, 2n * SGETH] }),
    ]);
    await attacker.write.execute([
      registry.address,
      encodeFunctionData({ abi: registry.abi, functionName: "lockShares", args: [2n * SGETH] }),
    ]);
    await networkHelpers.mine(MIN_LOCK_BLOCKS);
    const unlock = encodeFunctionData({ abi: registry.abi, functionName: "unlock", args: [SGETH] });
    await attacker.write.setReentry([registry.address, unlock]);
    await attacker.write.execute([registry.address, unlock]);
    assert.equal(await attacker.read.reentryAttempted(), true);
    assert.equal(await attacker.read.reentrySucceeded(), false);
    assert.equal(await token.read.balanceOf([attacker.address]), SGETH);
    assert.equal((await registry.read.stakeOf([attacker.address])).locked, SGETH);
  });

  it("stakeETH deposits through the vault and locks the sgETH in one transaction", async () => {
    const s = await freshSettlement();
    const before = await s.vault.read.balanceOf([s.runs.address]);
    await s.runs.write.stakeETH([0n], { account: s.p1.account, value: parseEther("2") });
    const stake = await s.runs.read.stakeOf([s.p1.account.address]);
    assert.ok(stake.locked > 0n);
    assert.equal((await s.vault.read.balanceOf([s.runs.address])) - before, stake.locked);
    assert.equal(await s.vault.read.balanceOf([s.p1.account.address]), 0n);
    await viem.assertions.revertWithCustomError(
      s.runs.write.stakeETH([2n ** 200n], { account: s.p1.account, value: parseEther("1") }),
      s.vault,
      "SharesBelowMinimum",
    );
  });

  it("fixes the boost at startRun from stake locked in an earlier block, capped at +50%", async () => {
    const s = await freshSettlement();
    // Lock and start in the same block: the new lock does not count.
    await networkHelpers.mine(1);
    await viem.assertions.emit(s.runs.write.stakeETH([0n], { account: s.p1.account, value: parseEther("5") }), s.runs, "StakeLocked");
    const sameBlock = await s.runs.read.stakeOf([s.p1.account.address]);
    assert.equal(sameBlock.effective, 0n, "in its own block the lock does not count");
    await networkHelpers.mine(1);
    const stake = await s.runs.read.stakeOf([s.p1.account.address]);
    assert.equal(stake.effective, stake.locked, "a block later the lock counts");
    const expected = (stake.locked * 5_000n) / BOOST_FULL_STAKE;
    assert.equal(await s.runs.read.currentBoostOf([s.p1.account.address]), expected);

    await networkHelpers.mine(1);
    await (await viem.getTestClient()).setAutomine(false);
    const lockHash = await s.runs.write.stakeETH([0n], { account: s.p2.account, value: parseEther("20") });
    const startHash = await s.runs.write.startRun({ account: s.p2.account });
    await networkHelpers.mine(1);
    await (await viem.getTestClient()).setAutomine(true);
    await receiptOf(s, lockHash);
    const receipt = await receiptOf(s, startHash);
    const [ev] = parseEventLogs({ abi: s.runs.abi, logs: receipt.logs, eventName: "RunStarted" });
    assert.equal(ev!.args.boostBps, 0n, "stake locked in the same block gives no boost");
    assert.equal(await s.runs.read.boostOf([ev!.args.runId!]), 0n);
    // Next block: full stake, capped at +50%.
    await drawSeed(s, ev!.args.runId!);
    await s.runs.write.submitRun([ev!.args.runId!, bytesToHex(SHORT)], { account: s.p2.account });
    const next = await startRun(s, s.p2);
    assert.equal(next.boostBps, 5_000n);
    assert.equal(await s.runs.read.boostOf([next.runId]), 5_000n);
  });

  it("locks sgETH already held, and unlocks only after the minimum lock time", async () => {
    const s = await freshSettlement();
    await s.vault.write.depositETH([s.p1.account.address, 0n], { account: s.p1.account, value: parseEther("1") });
    const shares = await s.vault.read.balanceOf([s.p1.account.address]);
    await s.vault.write.approve([s.runs.address, shares], { account: s.p1.account });
    await s.runs.write.lockShares([shares], { account: s.p1.account });
    await viem.assertions.revertWithCustomError(s.runs.write.unlock([shares], { account: s.p1.account }), s.runs, "StakeStillLocked");
    await networkHelpers.mine(MIN_LOCK_BLOCKS);
    await viem.assertions.revertWithCustomError(
      s.runs.write.unlock([shares + 1n], { account: s.p1.account }),
      s.runs,
      "InsufficientStake",
    );
    await s.runs.write.unlock([shares], { account: s.p1.account });
    assert.equal(await s.vault.read.balanceOf([s.p1.account.address]), shares);
    assert.equal((await s.runs.read.stakeOf([s.p1.account.address])).locked, 0n);
    void SGETH;
  });
});

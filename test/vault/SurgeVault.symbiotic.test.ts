/**
 * SurgeVault restaking through SymbioticStrategy into Symbiotic's own contracts (scripts/lib/symbiotic.ts deploys
 * the factories, registries, a WETH vault with its NetworkRestakeDelegator and Slasher, a network and an operator
 * opted in). Slashes go through Symbiotic's slasher; rewards are restaked into the Symbiotic vault for the strategy.
 * The last `describe` pins the four vault holes of issue 14: each test fails if its fix is removed.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseEventLogs, type Hash } from "viem";
import { SYMBIOTIC_BURNER } from "../../scripts/lib/symbiotic.js";
import { deploySymbioticSystem, EPOCH, networkHelpers, SGETH, viem, WITHDRAWAL_DELAY, type SymbioticSystem } from "./fixture.js";

/** Alice 10 ETH, then Bob 2 ETH: 10.8 ETH restaked in Symbiotic, 1.2 ETH in the buffer. */
async function funded(): Promise<SymbioticSystem> {
  const s = await deploySymbioticSystem();
  await s.vault.write.depositETH([s.alice.account.address, 0n], { account: s.alice.account, value: parseEther("10") });
  await s.vault.write.depositETH([s.bob.account.address, 0n], { account: s.bob.account, value: parseEther("2") });
  return s;
}
const fresh = () => networkHelpers.loadFixture(funded);

async function eventsOf(s: SymbioticSystem, hash: Hash) {
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash });
  return parseEventLogs({ abi: s.vault.abi, logs: receipt.logs });
}

async function liquidity(s: SymbioticSystem) {
  const [buffer, inStrategy, queued, unstaking, free] = await s.vault.read.liquidity();
  return { buffer, inStrategy, queued, unstaking, free };
}

/** Requests `shares` for Alice and has a keeper unstake for it; returns the request id and the unstake's event. */
async function requestAndUnstake(s: SymbioticSystem, shares: bigint) {
  await s.vault.write.requestWithdrawal([shares, 0n], { account: s.alice.account });
  const id = (await s.vault.read.nextRequestId()) - 1n;
  const logs = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
  const unstake = logs.find((l) => l.eventName === "UnstakeQueued");
  assert.ok(unstake?.eventName === "UnstakeQueued", "rebalance unstaked for the request");
  return { id, unstake };
}

/** Every address the transaction `hash` called, however deep (Hardhat's `callTracer`). */
async function calledAddresses(s: SymbioticSystem, hash: Hash): Promise<Set<string>> {
  interface Frame {
    to?: string;
    calls?: Frame[];
  }
  const root = (await s.publicClient.request({
    method: "debug_traceTransaction" as never,
    params: [hash, { tracer: "callTracer" }] as never,
  })) as Frame;
  const seen = new Set<string>();
  const walk = (f: Frame) => {
    if (f.to !== undefined) seen.add(f.to.toLowerCase());
    for (const c of f.calls ?? []) walk(c);
  };
  walk(root);
  return seen;
}

/** Sum of what the strategy's withdrawals can claim in Symbiotic (every pending epoch). */
async function pendingInSymbiotic(s: SymbioticSystem): Promise<bigint> {
  let sum = 0n;
  for (const epoch of await s.strategy.read.pendingEpochs()) {
    sum += await s.symbiotic.vault.read.withdrawalsOf([epoch, s.strategy.address]);
  }
  return sum;
}

describe("SurgeVault over Symbiotic", () => {
  it("restakes the buffer's excess into the Symbiotic vault: the strategy holds active stake worth the booking", async () => {
    const s = await fresh();
    const l = await liquidity(s);
    assert.equal(l.buffer, parseEther("1.2"));
    assert.equal(l.inStrategy, parseEther("10.8"));
    assert.equal(await s.symbiotic.vault.read.activeBalanceOf([s.strategy.address]), parseEther("10.8"));
    assert.equal(await s.strategy.read.totalAssetsOf([s.vault.address]), parseEther("10.8"));
    assert.equal(await s.strategy.read.withdrawalDelay(), BigInt(2 * EPOCH));
    assert.equal(await s.vault.read.totalAssets(), parseEther("12"));
  });

  it("an unstake waits for the end of the next Symbiotic epoch, then pays the queued claim", async () => {
    const s = await fresh();
    const { id, unstake } = await requestAndUnstake(s, 5n * SGETH);
    const at = unstake.args.completableAt;
    const now = BigInt(await networkHelpers.time.latest());
    assert.ok(at > now && at <= now + BigInt(2 * EPOCH), "within two epochs");
    const epoch = (await s.strategy.read.pendingEpochs())[0]!;
    assert.equal(await s.symbiotic.vault.read.withdrawalsOf([epoch, s.strategy.address]), unstake.args.assets);
    assert.equal(await s.strategy.read.completableAt([unstake.args.withdrawalRoot]), at);
    // Symbiotic refuses the claim before the epoch ends: the vault skips the unstake until then.
    const early = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
    assert.ok(!early.some((l) => l.eventName === "UnstakeCompleted"), "not before the epoch ends");
    await networkHelpers.time.increaseTo(at);
    const done = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
    const completed = done.find((l) => l.eventName === "UnstakeCompleted");
    assert.ok(completed?.eventName === "UnstakeCompleted");
    assert.equal(completed.args.receivedAssets, unstake.args.assets);
    assert.deepEqual(await s.strategy.read.pendingEpochs(), []);
    await networkHelpers.mine(WITHDRAWAL_DELAY);
    await viem.assertions.balancesHaveChanged(
      s.vault.write.claimWithdrawal([id, s.alice.account.address, parseEther("5")], { account: s.alice.account }),
      [{ address: s.alice.account.address, amount: parseEther("5") }],
    );
  });

  it("a slash by Symbiotic's slasher lowers sgETH's rate and the queued withdrawal pro rata, at once", async () => {
    const s = await fresh();
    const { id, unstake } = await requestAndUnstake(s, 5n * SGETH);
    const active = await s.symbiotic.vault.read.activeBalanceOf([s.strategy.address]);
    const pending = await pendingInSymbiotic(s);
    const rate = await s.vault.read.exchangeRate();
    const slashed = parseEther("1.08"); // 10% of the 10.8 restaked
    await s.symbiotic.slash(slashed);
    assert.equal(await s.weth.read.balanceOf([SYMBIOTIC_BURNER]), slashed, "Symbiotic sent it to the burner");
    // Symbiotic cut active stake and the pending withdrawal pro rata (a wei of rounding each).
    const activeAfter = await s.symbiotic.vault.read.activeBalanceOf([s.strategy.address]);
    const pendingAfter = await pendingInSymbiotic(s);
    assert.ok(activeAfter <= (active * 9n) / 10n + 2n && activeAfter + 2n >= (active * 9n) / 10n);
    assert.ok(pendingAfter <= (pending * 9n) / 10n + 2n && pendingAfter + 2n >= (pending * 9n) / 10n);
    // The vault shows it before anyone syncs: 12 - 1.08 of total assets, the rate 9% lower.
    assert.equal(await s.vault.read.totalAssets(), parseEther("12") - slashed);
    const rateAfter = await s.vault.read.exchangeRate();
    assert.ok(rateAfter < rate && rateAfter >= (rate * 9_099n) / 10_000n && rateAfter <= (rate * 9_101n) / 10_000n);
    // The queued request is paid at the post-slash value of its shares, as everyone's.
    await networkHelpers.time.increaseTo(unstake.args.completableAt);
    await networkHelpers.mine(WITHDRAWAL_DELAY);
    const preview = await s.vault.read.previewClaim([id]);
    assert.ok(preview <= parseEther("4.55") && preview > parseEther("4.54"), `claim ${preview}`);
    await viem.assertions.balancesHaveChanged(
      s.vault.write.claimWithdrawal([id, s.alice.account.address, 0n], { account: s.alice.account }),
      [{ address: s.alice.account.address, amount: preview }],
    );
  });

  it("reports read Symbiotic's restaked rewards; the gain vests over the report interval", async () => {
    const s = await fresh();
    await s.symbiotic.reward(s.strategy.address, parseEther("0.05"));
    const shown = await s.strategy.read.totalAssetsOf([s.vault.address]);
    assert.ok(shown > parseEther("10.8"), "restaked rewards raise the position Symbiotic proves");
    const rate = await s.vault.read.exchangeRate();
    await networkHelpers.time.increase(Number(s.params.minReportInterval));
    const hash = await s.vault.write.report([2n ** 256n - 1n], { account: s.oracle.account });
    assert.ok((await eventsOf(s, hash)).some((l) => l.eventName === "GainLocked"));
    assert.equal(await s.vault.read.exchangeRate(), rate, "no step at the report");
    await networkHelpers.time.increase(Number(s.params.minReportInterval) / 2);
    const half = await s.vault.read.exchangeRate();
    await networkHelpers.time.increase(Number(s.params.minReportInterval) / 2);
    const full = await s.vault.read.exchangeRate();
    assert.ok(rate < half && half < full, `${rate} < ${half} < ${full}`);
    const [buffer, inStrategy] = await s.vault.read.liquidity();
    assert.equal(await s.vault.read.totalAssets(), buffer + inStrategy, "all vested");
  });

  describe("finalization: a claim reads nothing from Symbiotic", () => {
    it("a slash between request and claim is booked when rebalance fixes the payout; a later slash cannot reach it", async () => {
      const s = await fresh();
      const { id, unstake } = await requestAndUnstake(s, 5n * SGETH);
      await s.symbiotic.slash(parseEther("1.08")); // nobody syncs it
      await networkHelpers.time.increaseTo(unstake.args.completableAt);
      await networkHelpers.mine(WITHDRAWAL_DELAY);
      const cut = await s.vault.read.previewClaim([id]);
      assert.ok(cut <= parseEther("4.55") && cut > parseEther("4.54"), `pro rata: ${cut}`);
      const logs = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
      const names = logs.map((l) => l.eventName);
      // The unstake lands, the slash is booked, then the request's payout is fixed at the post-slash value.
      assert.ok(names.indexOf("LossSynced") < names.indexOf("WithdrawalFinalized"), names.join());
      const finalized = logs.find((l) => l.eventName === "WithdrawalFinalized");
      assert.ok(finalized?.eventName === "WithdrawalFinalized");
      assert.equal(finalized.args.requestId, id);
      assert.equal(finalized.args.assets, cut);
      assert.equal(await s.vault.read.reservedForClaims(), cut);
      assert.equal(await s.vault.read.balanceOf([s.vault.address]), 0n, "the escrow was burned");
      assert.equal((await liquidity(s)).queued, 0n);
      // Its ETH left Symbiotic: a second slash lowers everyone else's rate, not the finalized payout.
      const rate = await s.vault.read.exchangeRate();
      await s.symbiotic.slash(parseEther("0.5"));
      assert.ok((await s.vault.read.exchangeRate()) < rate);
      assert.equal(await s.vault.read.previewClaim([id]), cut);
      assert.equal((await s.vault.read.withdrawalStatus([id]))[0], 2, "Claimable");
      const claim = s.vault.write.claimWithdrawal([id, s.alice.account.address, cut], { account: s.alice.account });
      await viem.assertions.balancesHaveChanged(claim, [{ address: s.alice.account.address, amount: cut }]);
      const called = await calledAddresses(s, await claim);
      assert.ok(!called.has(s.strategy.address.toLowerCase()), "the claim never called the strategy");
      assert.ok(!called.has(s.symbiotic.vault.address.toLowerCase()), "nor Symbiotic");
      assert.equal(await s.vault.read.reservedForClaims(), 0n);
    });

    it("finalizes in id order only what is due and what the buffer funds; the rest waits for its unstake", async () => {
      const s = await fresh();
      await s.vault.write.requestWithdrawal([SGETH / 2n, 0n], { account: s.bob.account });
      const { id: big } = await requestAndUnstake(s, 5n * SGETH);
      const early = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
      assert.ok(!early.some((l) => l.eventName === "WithdrawalFinalized"), "not before the delay");
      // The request's delay passes in blocks, before Symbiotic's epoch (a time) ends.
      await networkHelpers.mine(WITHDRAWAL_DELAY, { interval: 0 });
      const logs = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
      assert.ok(!logs.some((l) => l.eventName === "UnstakeCompleted"));
      const ids = logs.flatMap((l) => (l.eventName === "WithdrawalFinalized" ? [l.args.requestId] : []));
      assert.deepEqual(ids, [1n], "Bob's half ETH from the buffer; Alice's 5 wait for the unstake");
      assert.equal(await s.vault.read.reservedForClaims(), parseEther("0.5"));
      assert.equal((await s.vault.read.withdrawalStatus([big]))[0], 4, "AwaitingLiquidity");
      await networkHelpers.time.increase(2 * EPOCH);
      const later = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
      assert.ok(later.some((l) => l.eventName === "WithdrawalFinalized" && l.args.requestId === big));
      await s.vault.write.claimWithdrawals([[big], s.alice.account.address, parseEther("5")], { account: s.alice.account });
      await s.vault.write.claimWithdrawal([1n, s.bob.account.address, parseEther("0.5")], { account: s.bob.account });
      assert.equal(await s.vault.read.reservedForClaims(), 0n);
    });
  });

  describe("SymbioticStrategy", () => {
    it("serves only the staker its deployer bound, once", async () => {
      const s = await fresh();
      assert.equal((await s.strategy.read.staker()).toLowerCase(), s.vault.address.toLowerCase());
      await viem.assertions.revertWithCustomError(
        s.strategy.write.bindStaker([s.carol.account.address], { account: s.admin.account }),
        s.strategy,
        "StakerAlreadyBound",
      );
      await viem.assertions.revertWithCustomError(
        s.strategy.write.deposit([1n], { account: s.carol.account }),
        s.strategy,
        "NotStaker",
      );
      const other = await viem.deployContract("SymbioticStrategy", [s.symbiotic.vault.address]);
      await viem.assertions.revertWithCustomError(
        other.write.bindStaker([s.carol.account.address], { account: s.carol.account }),
        other,
        "NotBinder",
      );
      assert.equal(await other.read.totalAssetsOf([s.vault.address]), 0n);
    });

    it("two unstakes of one epoch: the first completion claims the epoch, the second pays 0; the sum is exact", async () => {
      const s = await fresh();
      await s.vault.write.setParameters([{ ...s.params, bufferTargetBps: 0n }], { account: s.admin.account });
      const first = await requestAndUnstake(s, 2n * SGETH);
      const second = await requestAndUnstake(s, 2n * SGETH);
      assert.equal(first.unstake.args.completableAt, second.unstake.args.completableAt, "same Symbiotic epoch");
      assert.equal((await s.strategy.read.pendingEpochs()).length, 1);
      const expected = first.unstake.args.assets + second.unstake.args.assets;
      assert.equal(await pendingInSymbiotic(s), expected);
      await networkHelpers.time.increaseTo(first.unstake.args.completableAt);
      const logs = await eventsOf(s, await s.vault.write.rebalance({ account: s.carol.account }));
      const received = logs.flatMap((l) => (l.eventName === "UnstakeCompleted" ? [l.args.receivedAssets] : []));
      assert.deepEqual(received, [expected, 0n]);
      assert.equal((await liquidity(s)).unstaking, 0n);
    });
  });

  describe("issue 14 holes, closed", () => {
    it("(a) a deposit after a slash nobody synced is priced after it: previewDeposit holds and nobody loses", async () => {
      const s = await fresh();
      await s.symbiotic.slash(parseEther("1.08"));
      const preview = await s.vault.read.previewDeposit([parseEther("1")]);
      const aliceBefore = await s.vault.read.convertToAssets([10n * SGETH]);
      const hash = await s.vault.write.depositETH([s.carol.account.address, preview], {
        account: s.carol.account,
        value: parseEther("1"),
      });
      assert.ok((await eventsOf(s, hash)).some((l) => l.eventName === "LossSynced"), "the entry booked the slash");
      const shares = await s.vault.read.balanceOf([s.carol.account.address]);
      assert.equal(shares, preview, "the preview the client sends as minShares is exact");
      const carolValue = await s.vault.read.convertToAssets([shares]);
      assert.ok(carolValue + 2n >= parseEther("1") && carolValue <= parseEther("1"), `carol holds ${carolValue}`);
      const aliceAfter = await s.vault.read.convertToAssets([10n * SGETH]);
      assert.ok(aliceAfter + 2n >= aliceBefore, "the holders kept their post-slash value");
    });

    it("(b) a deposit a block before a report, queued out after it, takes no share of the report's gain", async () => {
      const s = await fresh();
      await s.symbiotic.reward(s.strategy.address, parseEther("1")); // a backlog: far above one report's cap
      await networkHelpers.time.increase(Number(s.params.minReportInterval));
      const deposit = parseEther("5");
      await s.vault.write.depositETH([s.carol.account.address, 0n], { account: s.carol.account, value: deposit });
      const rate = await s.vault.read.exchangeRate();
      await s.vault.write.report([2n ** 256n - 1n], { account: s.oracle.account });
      assert.equal(await s.vault.read.exchangeRate(), rate, "the report moved the rate by nothing at once");
      const shares = await s.vault.read.balanceOf([s.carol.account.address]);
      await s.vault.write.requestWithdrawal([shares, 0n], { account: s.carol.account });
      const id = (await s.vault.read.nextRequestId()) - 1n;
      const booked = await s.vault.read.previewClaim([id]);
      // Without vesting the report's cap (0.5%) would be booked: 0.025 ETH. Two seconds of vesting are left.
      assert.ok(booked - deposit < deposit / 100_000n, `booked ${booked} for ${deposit}`);
    });

    it("(c) an instant exit split into 40 pieces gets none of its own fee back", async () => {
      const one = await fresh();
      const shares = SGETH;
      const [whole, fee] = await one.vault.read.previewInstantExit([shares]);
      await one.vault.write.instantExit([shares, 0n, one.carol.account.address], { account: one.alice.account });
      const split = await fresh();
      const before = await split.publicClient.getBalance({ address: split.carol.account.address });
      for (let i = 0; i < 40; i++) {
        await split.vault.write.instantExit([shares / 40n, 0n, split.carol.account.address], { account: split.alice.account });
      }
      const pieces = (await split.publicClient.getBalance({ address: split.carol.account.address })) - before;
      // Before the fix each piece's fee raised the rate for the next: 10.4% of the fee came back. Now only what
      // vests in the 40 seconds the pieces take (40 / 86,400 of it at most), and each piece rounds its fee up.
      assert.ok(pieces <= whole + fee / 1_000n, `40 pieces ${pieces} vs one exit ${whole} (fee ${fee})`);
    });

    it("(d) rebalance keeps the unstake completions it made when Symbiotic refuses the deposit", async () => {
      const s = await fresh();
      const { unstake } = await requestAndUnstake(s, 3n * SGETH);
      // Symbiotic's own deposit limit, at the stake it has: every further deposit reverts DepositLimitReached.
      const activeStake = await s.symbiotic.vault.read.activeStake();
      await s.symbiotic.vault.write.setIsDepositLimit([true], { account: s.admin.account });
      await s.symbiotic.vault.write.setDepositLimit([activeStake], { account: s.admin.account });
      const routed = await eventsOf(
        s,
        await s.vault.write.depositETH([s.carol.account.address, 0n], { account: s.carol.account, value: parseEther("6") }),
      );
      assert.ok(routed.some((l) => l.eventName === "RoutingFailed"), "a deposit already tolerated the refusal");
      await networkHelpers.time.increaseTo(unstake.args.completableAt);
      const hash = await s.vault.write.rebalance({ account: s.bob.account });
      const names = (await eventsOf(s, hash)).map((l) => l.eventName);
      assert.ok(names.includes("UnstakeCompleted") && names.includes("RoutingFailed"), names.join(","));
      const l = await liquidity(s);
      assert.equal(l.unstaking, 0n, "the completion stands");
      assert.equal(l.buffer, await s.weth.read.balanceOf([s.vault.address]));
    });
  });
});

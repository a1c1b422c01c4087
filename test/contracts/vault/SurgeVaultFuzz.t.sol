// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISurgeVaultErrors, ISurgeVaultTypes} from "../../../contracts/interfaces/ISurgeVault.sol";
import {SurgeVault} from "../../../contracts/vault/SurgeVault.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {RestakingWorld, SymbioticWorld} from "./RestakingWorlds.sol";

/// @dev Receives ETH from the vault and tries to re-enter it; records how the re-entry failed.
contract ReenteringReceiver {
    SurgeVault private immutable _vault;
    uint256 private _requestId;
    bytes4 public reentryError;

    constructor(SurgeVault vault_) {
        _vault = vault_;
    }

    function request(uint256 shares) external {
        _requestId = _vault.requestWithdrawal(shares, 0);
    }

    receive() external payable {
        try _vault.claimWithdrawal(_requestId, address(this), 0) {} catch (bytes memory reason) {
            reentryError = bytes4(reason);
        }
    }
}

contract SurgeVaultFuzzTest is SurgeVaultBase {
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");

    function setUp() public {
        _deploy(_defaultParams());
    }

    /// Deposits mint at the rate, rounded down, and every wei is accounted in the buffer or the strategy.
    function testFuzz_depositETH_mintsAtTheRateAndAccountsEveryWei(uint256 first, uint256 second) public {
        first = bound(first, 1, 500_000 ether);
        second = bound(second, 1, 400_000 ether);
        _depositEth(alice, first);
        (uint256 a, uint256 s) = _rate();
        uint256 shares = _depositEth(bob, second);
        assertEq(shares, (second * s) / a, "shares = assets * (supply + virtual) / (total + 1), rounded down");
        (uint256 buffer, uint256 inStrategy, , , ) = vault.liquidity();
        assertEq(vault.totalAssets(), first + second);
        assertEq(buffer + inStrategy, first + second);
        assertEq(weth.balanceOf(address(vault)), buffer);
        assertApproxEqAbs(_strategy().totalAssetsOf(address(vault)), inStrategy, 2);
    }

    /// A deposit that leaves the free buffer above its maximum routes it down to the target, so after any deposit
    /// the free buffer is at most the maximum.
    function testFuzz_deposits_keepTheFreeBufferWithinItsMaximum(uint96[6] memory amounts) public {
        for (uint256 i; i < amounts.length; ++i) {
            _depositEth(alice, bound(amounts[i], 1 ether, 50_000 ether));
            (, , , , uint256 free) = vault.liquidity();
            assertLe(free, (vault.totalAssets() * 1_500) / BPS + 1);
        }
    }

    /// A request books the value of its shares; its claim never pays more than that, nor more than was deposited.
    function testFuzz_requestAndClaim_payNoMoreThanDeposited(uint256 amount, uint256 fractionBps) public {
        amount = bound(amount, 0.001 ether, 10_000 ether);
        fractionBps = bound(fractionBps, 1, BPS);
        uint256 shares = _depositEth(alice, amount);
        uint256 requested = (shares * fractionBps) / BPS;
        vm.assume(vault.previewRedeem(requested) > 0);
        vm.prank(alice);
        uint256 id = vault.requestWithdrawal(requested, 0);
        vault.rebalance();
        _passBlocks(WITHDRAWAL_DELAY);
        uint256 before = alice.balance;
        vm.prank(alice);
        uint256 paid = vault.claimWithdrawal(id, alice, 0);
        assertEq(alice.balance - before, paid);
        assertLe(paid, (amount * fractionBps) / BPS + 1);
        assertGe(paid + 2, (amount * fractionBps) / BPS);
    }

    /// Queued withdrawals share losses pro rata and do not take gains reported after the request: the claim pays
    /// exactly min(booked assets, value of the shares at claim).
    function testFuzz_claim_paysMinOfBookedAndCurrentValue(
        uint256 aliceAmount,
        uint256 bobAmount,
        uint256 changeBps,
        bool isLoss
    ) public {
        aliceAmount = bound(aliceAmount, 1 ether, 10_000 ether);
        bobAmount = bound(bobAmount, 0.01 ether, 10_000 ether);
        _depositEth(alice, aliceAmount);
        uint256 bobShares = _depositEth(bob, bobAmount);
        vm.prank(bob);
        uint256 id = vault.requestWithdrawal(bobShares, 0);
        uint256 booked = vault.previewClaim(id);
        vault.rebalance();
        if (isLoss) {
            _slash(bound(changeBps, 1, 5_000));
        } else {
            // Within the per-report bound: 50 bps of total assets.
            _addRewards(bound(changeBps, 1, 49) * vault.totalAssets() / BPS + 1);
        }
        _report();
        _passBlocks(WITHDRAWAL_DELAY);
        uint256 value = vault.convertToAssets(bobShares);
        uint256 expected = value < booked ? value : booked;
        assertEq(vault.previewClaim(id), expected);
        vm.prank(bob);
        uint256 paid = vault.claimWithdrawal(id, bob, 0);
        assertEq(paid, expected);
        if (isLoss) assertLe(paid, booked);
        else assertEq(paid, booked);
    }

    /// The protocol fee is minted as shares worth the fee, and holders keep the rest of the gain.
    function testFuzz_report_mintsFeeSharesWorthTheFee(uint256 amount, uint256 gainBps, uint256 feeBps) public {
        amount = bound(amount, 0.01 ether, 100_000 ether);
        gainBps = bound(gainBps, 1, 50);
        feeBps = bound(feeBps, 0, 2_000);
        ISurgeVaultTypes.Parameters memory p = _defaultParams();
        p.protocolFeeBps = feeBps;
        _setParams(p);
        uint256 shares = _depositEth(alice, amount);
        uint256 gain = (amount * gainBps) / BPS;
        vm.assume(gain > 0);
        _addRewards(gain);
        uint256 aliceBefore = vault.convertToAssets(shares);
        _report();
        _vest();
        uint256 realized = vault.totalAssets() - amount;
        uint256 feeAssets = (realized * feeBps) / BPS;
        assertApproxEqAbs(vault.convertToAssets(vault.balanceOf(treasury)), feeAssets, 2);
        assertGe(vault.convertToAssets(shares) + 2, aliceBefore + realized - feeAssets - realized / 1e12);
    }

    /// A report books the strategy's gain up to the per-report bound (the rest waits for a later report), and never
    /// reverts for a gain that is too large: the vault reads the strategy itself.
    function testFuzz_report_capsTheGain(uint256 amount, uint256 gainBps) public {
        amount = bound(amount, 1 ether, 100_000 ether);
        gainBps = bound(gainBps, 1, 500);
        _depositEth(alice, amount);
        _addRewards((amount * gainBps) / BPS);
        vm.warp(block.timestamp + 1 days);
        uint256 previous = vault.totalAssets();
        (, uint256 inStrategy, , , ) = vault.liquidity();
        uint256 gain = _strategy().totalAssetsOf(address(vault)) - inStrategy;
        uint256 bound_ = (previous * 50) / BPS;
        vm.prank(oracle);
        vault.report(type(uint256).max);
        _vest();
        assertEq(vault.totalAssets(), previous + (gain < bound_ ? gain : bound_));
    }

    /// An instant exit pays the value less the fee; the fee stays and the rate does not fall.
    function testFuzz_instantExit_leavesTheFeeAndNeverLowersTheRate(uint256 amount, uint256 fractionBps) public {
        amount = bound(amount, 0.01 ether, 1_000 ether);
        fractionBps = bound(fractionBps, 1, 1_000); // within the 10% buffer target
        uint256 shares = _depositEth(alice, amount);
        uint256 exiting = (shares * fractionBps) / BPS;
        uint256 gross = vault.convertToAssets(exiting);
        (, uint256 fee) = vault.previewInstantExit(exiting);
        vm.assume(gross > fee);
        (uint256 a0, uint256 s0) = _rate();
        uint256 before = bob.balance;
        vm.prank(alice);
        uint256 paid = vault.instantExit(exiting, 0, bob);
        assertEq(paid + fee, gross);
        assertEq(bob.balance - before, paid);
        assertEq(fee, (gross * 50 + BPS - 1) / BPS);
        (uint256 a1, uint256 s1) = _rate();
        assertGe(a1 * s0, a0 * s1, "rate after >= rate before");
    }

    /// Claiming requests together pays what claiming them one by one pays.
    function testFuzz_claimWithdrawals_equalsSeparateClaims(uint256 amount, uint256 splitBps, uint256 slashBps) public {
        amount = bound(amount, 0.01 ether, 1_000 ether);
        splitBps = bound(splitBps, 1, BPS - 1);
        uint256 shares = _depositEth(alice, amount);
        vm.startPrank(alice);
        uint256[] memory ids = new uint256[](2);
        ids[0] = vault.requestWithdrawal((shares * splitBps) / BPS, 0);
        ids[1] = vault.requestWithdrawal(shares - (shares * splitBps) / BPS, 0);
        vm.stopPrank();
        vault.rebalance();
        _slash(bound(slashBps, 0, 3_000));
        _report();
        _passBlocks(WITHDRAWAL_DELAY);
        uint256 snapshot = vm.snapshotState();
        vm.startPrank(alice);
        uint256 separately = vault.claimWithdrawal(ids[0], alice, 0) + vault.claimWithdrawal(ids[1], alice, 0);
        vm.stopPrank();
        vm.revertToState(snapshot);
        vm.prank(alice);
        assertEq(vault.claimWithdrawals(ids, alice, 0), separately);
    }

    /// A receiver that re-enters the vault from its ETH callback is stopped by the reentrancy guard.
    function test_claimWithdrawal_blocksReentryFromTheReceiver() public {
        ReenteringReceiver attacker = new ReenteringReceiver(vault);
        _depositEth(alice, 10 ether);
        vm.prank(alice);
        vault.transfer(address(attacker), 1e21);
        attacker.request(1e21);
        _passBlocks(WITHDRAWAL_DELAY);
        vm.prank(address(attacker));
        vault.claimWithdrawal(1, address(attacker), 0);
        assertEq(attacker.reentryError(), ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        assertEq(address(attacker).balance, 1 ether);
    }
}

/// @notice The same fuzz tests over Symbiotic's own contracts through SymbioticStrategy (deployed from their 0.8.25
/// artifacts by {SymbioticDeployment}): slashes by Symbiotic's slasher, rewards restaked into the Symbiotic vault,
/// epochs of 500 seconds, so that a withdrawal (at most two epochs) lands within a request's 100 blocks.
contract SurgeVaultSymbioticFuzzTest is SurgeVaultFuzzTest {
    function _newWorld(MockWETH weth_) internal override returns (RestakingWorld) {
        vm.warp(1_700_000_000);
        return new SymbioticWorld(weth_, 500);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISurgeVaultTypes} from "../../../contracts/interfaces/ISurgeVault.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {RestakingWorld, SymbioticWorld} from "./RestakingWorlds.sol";

/// @notice The first-depositor (inflation) attack: an attacker who is first in the vault tries to make one share so
/// valuable that the next depositor's shares round down to (nearly) nothing, then takes the difference. These tests
/// play the attack against an empty vault and show that it costs the attacker more than it takes.
contract SurgeVaultInflationTest is SurgeVaultBase {
    address internal attacker = makeAddr("attacker");
    address internal victim = makeAddr("victim");

    function setUp() public {
        ISurgeVaultTypes.Parameters memory p = _defaultParams();
        // Keep everything in the buffer so that the attacker can also exit instantly at will.
        p.bufferTargetBps = BPS;
        p.bufferMaxBps = BPS;
        p.instantExitDailyLimit = type(uint128).max;
        _deploy(p);
    }

    /// Classic donation: 1 wei deposit, then a large donation to the vault and to the strategy. The vault accounts
    /// its assets instead of reading balances, so the donation moves nothing and the victim is paid in full.
    function testFuzz_donationAttack_doesNotPay(uint256 donation, uint256 victimDeposit) public {
        donation = bound(donation, 1 ether, 10_000 ether);
        victimDeposit = bound(victimDeposit, 1, 1_000 ether);
        uint256 attackerShares = _depositEth(attacker, 1);
        vm.deal(attacker, attacker.balance + donation);
        vm.startPrank(attacker);
        weth.deposit{value: donation}();
        weth.transfer(address(vault), donation);
        vm.stopPrank();
        world.rewardAmount(donation); // as much again to the strategy's position in the layer

        uint256 victimShares = _depositEth(victim, victimDeposit);
        assertEq(victimShares, victimDeposit * 1_000, "the donation did not move the rate");
        assertGe(vault.convertToAssets(victimShares) + 1, victimDeposit, "the victim keeps the deposit");
        // All the attacker can get back is the value of its shares: about the 1 wei it deposited.
        assertLe(vault.convertToAssets(attackerShares), 1);
    }

    /// Fee-based inflation: the attacker deposits, exits all but one share instantly and leaves the exit fee
    /// behind, so that one share is worth a lot. The victim deposits without a slippage bound. With 1,000 virtual
    /// shares the stranded fee is mostly owned by the virtual shares, so the attacker recovers ~1/1001 of it.
    function testFuzz_exitFeeInflation_doesNotPay(uint256 attackerDeposit, uint256 victimDeposit, uint256 feeBps)
        public
    {
        attackerDeposit = bound(attackerDeposit, 0.01 ether, 1_000 ether);
        victimDeposit = bound(victimDeposit, 1, 1_000 ether);
        ISurgeVaultTypes.Parameters memory p = _defaultParams();
        p.bufferTargetBps = BPS;
        p.bufferMaxBps = BPS;
        p.instantExitDailyLimit = type(uint128).max;
        p.instantExitFeeBps = bound(feeBps, 50, 500);
        _setParams(p);

        uint256 shares = _depositEth(attacker, attackerDeposit);
        vm.prank(attacker);
        uint256 recovered = vault.instantExit(shares - 1, 0, attacker);

        // The victim's deposit may round down to zero shares: then it reverts and the victim keeps the ETH.
        vm.deal(victim, victimDeposit);
        vm.prank(victim);
        try vault.depositETH{value: victimDeposit}(victim, 0) returns (uint256 victimShares) {
            // The victim loses at most one share's worth to rounding.
            uint256 victimValue = vault.convertToAssets(victimShares);
            uint256 oneShare = vault.convertToAssets(1) + 1;
            assertGe(victimValue + oneShare, victimDeposit);
        } catch {
            assertEq(victim.balance, victimDeposit);
        }
        // The attacker's one share is all it has left; with what the exit paid, it is below what it put in.
        uint256 attackerOut = recovered + vault.convertToAssets(1);
        assertLt(attackerOut, attackerDeposit, "the attack loses money");
        uint256 fee = attackerDeposit - recovered;
        assertLe(vault.convertToAssets(1), fee / 1_000 + 1, "the attacker keeps at most ~1/1001 of the fee it paid");
    }

    /// Even the best case for the attacker (the victim deposits just enough to round down by almost a full
    /// share) leaves the attacker with a loss.
    function test_exitFeeInflation_bestCaseForTheAttacker() public {
        uint256 shares = _depositEth(attacker, 1 ether);
        vm.prank(attacker);
        uint256 recovered = vault.instantExit(shares - 1, 0, attacker);
        _vest(); // the best case: the fee left behind has reached the rate
        uint256 oneShare = vault.convertToAssets(1);
        // A deposit worth 1.999 shares mints 1 share: the victim leaves ~0.999 share's worth behind.
        uint256 victimShares = _depositEth(victim, (oneShare * 1_999) / 1_000);
        assertEq(victimShares, 1);
        uint256 attackerValue = vault.convertToAssets(1);
        assertLt(recovered + attackerValue, 1 ether);
        assertGt(1 ether - recovered - attackerValue, uint256(1 ether) / 300, "the attacker lost most of the 0.5% fee");
    }
}

/// @notice The same attacks with the vault restaking through Symbiotic's own contracts (the donation to the strategy
/// deposited into the Symbiotic vault on its behalf).
contract SurgeVaultSymbioticInflationTest is SurgeVaultInflationTest {
    function _newWorld(MockWETH weth_) internal override returns (RestakingWorld) {
        vm.warp(1_700_000_000);
        return new SymbioticWorld(weth_, 500);
    }
}

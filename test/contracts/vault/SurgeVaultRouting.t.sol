// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {IRestakingStrategy} from "../../../contracts/interfaces/IRestakingStrategy.sol";
import {ISurgeVaultEvents} from "../../../contracts/interfaces/ISurgeVault.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {RestakingWorld, SymbioticWorld} from "./RestakingWorlds.sol";

/// @notice Review finding 7: a strategy that refuses deposits (paused, full, amount too small) never blocks deposits;
/// what would have been routed stays in the buffer.
contract SurgeVaultRoutingTest is SurgeVaultBase {
    address internal alice = makeAddr("alice");

    function setUp() public {
        _deploy(_defaultParams());
    }

    /// @dev The mock layer has no deposit limit: its deposit is made to revert (as a paused strategy would).
    function _refuseDeposits(bool refuse) internal virtual {
        if (refuse) vm.mockCallRevert(address(layer), abi.encodeWithSelector(IRestakingStrategy.deposit.selector), "paused");
        else vm.clearMockedCalls();
    }

    function test_deposit_keepsAssetsInTheBufferWhenTheStrategyRefuses() public {
        _refuseDeposits(true);
        vm.expectEmit(address(vault));
        emit ISurgeVaultEvents.RoutingFailed(9 ether);
        uint256 shares = _depositEth(alice, 10 ether);
        assertEq(vault.balanceOf(alice), shares);
        (uint256 buffer, uint256 inStrategy, , , ) = vault.liquidity();
        assertEq(buffer, 10 ether);
        assertEq(inStrategy, 0);
        assertEq(weth.balanceOf(address(vault)), 10 ether);
        assertEq(vault.totalAssets(), 10 ether);

        // Once the strategy takes deposits again, the next routing deposit (or rebalance) routes the excess.
        _refuseDeposits(false);
        _depositEth(alice, 1 ether);
        (buffer, inStrategy, , , ) = vault.liquidity();
        assertEq(buffer, 1.1 ether);
        assertEq(inStrategy, 9.9 ether);
        assertEq(_strategy().totalAssetsOf(address(vault)), 9.9 ether);
    }
}

/// @notice The same over Symbiotic's own contracts: Symbiotic's vault refuses the deposit (its deposit limit reached).
contract SurgeVaultSymbioticRoutingTest is SurgeVaultRoutingTest {
    function _newWorld(MockWETH weth_) internal override returns (RestakingWorld) {
        vm.warp(1_700_000_000);
        return new SymbioticWorld(weth_, 500);
    }

    function _refuseDeposits(bool refuse) internal override {
        SymbioticWorld(address(world)).refuseDeposits(refuse);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeVaultBase} from "./SurgeVaultBase.sol";
import {IRestakingStrategy} from "../../../contracts/interfaces/IRestakingStrategy.sol";
import {ISurgeVaultEvents} from "../../../contracts/interfaces/ISurgeVault.sol";

/// @notice Review finding 7: a strategy that refuses deposits (paused, full, amount too small) never blocks deposits;
/// what would have been routed stays in the buffer.
contract SurgeVaultRoutingTest is SurgeVaultBase {
    address internal alice = makeAddr("alice");

    function setUp() public {
        _deploy(_defaultParams());
    }

    function test_deposit_keepsAssetsInTheBufferWhenTheStrategyRefuses() public {
        vm.mockCallRevert(address(layer), abi.encodeWithSelector(IRestakingStrategy.deposit.selector), "paused");
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
        vm.clearMockedCalls();
        _depositEth(alice, 1 ether);
        (buffer, inStrategy, , , ) = vault.liquidity();
        assertEq(buffer, 1.1 ether);
        assertEq(inStrategy, 9.9 ether);
        assertEq(layer.totalAssetsOf(address(vault)), 9.9 ether);
    }
}

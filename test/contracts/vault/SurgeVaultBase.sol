// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IRestakingStrategy} from "../../../contracts/interfaces/IRestakingStrategy.sol";
import {ISurgeVaultTypes, IWETH9} from "../../../contracts/interfaces/ISurgeVault.sol";
import {MockRestakingLayer} from "../../../contracts/mocks/MockRestakingLayer.sol";
import {MockWETH} from "../../../contracts/mocks/MockWETH.sol";
import {SurgeVault} from "../../../contracts/vault/SurgeVault.sol";
import {MockWorld, RestakingWorld} from "./RestakingWorlds.sol";

/// @dev Deployment and small actions shared by the SurgeVault Solidity tests (abstract: runs no tests itself). The
/// vault restakes through the layer `_newWorld` picks: `MockRestakingLayer` by default (`layer` is then set); a
/// suite overrides it to run over Symbiotic's own contracts ({SymbioticWorld}).
abstract contract SurgeVaultBase is Test {
    uint256 internal constant STRATEGY_DELAY = 50;
    uint256 internal constant WITHDRAWAL_DELAY = 100;
    uint256 internal constant VIRTUAL_SHARES = 1e3;
    uint256 internal constant BPS = 10_000;

    address internal admin = makeAddr("admin");
    address internal guardian = makeAddr("guardian");
    address internal oracle = makeAddr("oracle");
    address internal treasury = makeAddr("treasury");

    MockWETH internal weth;
    RestakingWorld internal world;
    /// @dev The mock layer, when the world is {MockWorld} (zero otherwise).
    MockRestakingLayer internal layer;
    SurgeVault internal vault;

    function _defaultParams() internal view returns (ISurgeVaultTypes.Parameters memory p) {
        p.treasury = treasury;
        p.depositCap = 1_000_000 ether;
        p.bufferTargetBps = 1_000;
        p.bufferMaxBps = 1_500;
        p.protocolFeeBps = 1_000;
        p.instantExitFeeBps = 50;
        p.instantExitDailyLimit = 1_000 ether;
        p.withdrawalDelayBlocks = WITHDRAWAL_DELAY;
        p.minReportInterval = 1 days;
        p.maxReportIncreaseBps = 50;
    }

    /// @dev The restaking layer under the vault, over `weth_`: the mock with a 50-second delay unless overridden.
    function _newWorld(MockWETH weth_) internal virtual returns (RestakingWorld) {
        MockWorld mock = new MockWorld(weth_, STRATEGY_DELAY);
        layer = mock.layer();
        return mock;
    }

    function _deploy(ISurgeVaultTypes.Parameters memory p) internal {
        weth = new MockWETH();
        world = _newWorld(weth);
        vault = new SurgeVault(IWETH9(address(weth)), world.strategy(), admin, guardian, oracle, p);
        world.bind(address(vault));
    }

    /// @dev The vault's strategy (the mock layer itself, or SymbioticStrategy).
    function _strategy() internal view returns (IRestakingStrategy) {
        return world.strategy();
    }

    function _depositEth(address who, uint256 amount) internal returns (uint256 shares) {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        shares = vault.depositETH{value: amount}(who, 0);
    }

    function _addRewards(uint256 amount) internal {
        world.rewardAmount(amount);
    }

    /// @dev Slashes `bps` of the layer by its own means, a second on (Symbiotic slashes stake captured in the past).
    function _slash(uint256 bps) internal {
        vm.warp(block.timestamp + 1);
        world.slash(bps);
        assertEq(world.refusedSlashes(), 0, "the layer slashed what it was asked");
    }

    /// @dev Waits out the report interval and reports, confirming any gain (the vault books the strategy's view,
    /// a gain within the per-report bound).
    function _report() internal {
        vm.warp(block.timestamp + 1 days);
        vm.prank(oracle);
        vault.report(type(uint256).max);
    }

    /// Lets every locked gain vest (a report's gain and exit fees reach the rate over the report interval).
    function _vest() internal {
        vm.warp(block.timestamp + 1 days);
    }

    /// Moves `blocks` blocks on, at 12 seconds each (the strategy's delay is a time).
    function _passBlocks(uint256 blocks) internal {
        vm.roll(block.number + blocks);
        vm.warp(block.timestamp + blocks * 12);
    }

    function _setParams(ISurgeVaultTypes.Parameters memory p) internal {
        vm.prank(admin);
        vault.setParameters(p);
    }

    /// @dev The vault's rate as a fraction: (total assets + 1) / (supply + virtual shares).
    function _rate() internal view returns (uint256 assets, uint256 shares) {
        return (vault.totalAssets() + 1, vault.totalSupply() + VIRTUAL_SHARES);
    }

    function _buffer() internal view returns (uint256 buffer) {
        (buffer, , , , ) = vault.liquidity();
    }
}

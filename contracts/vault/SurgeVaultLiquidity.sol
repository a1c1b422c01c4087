// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVault, IWETH9} from "../interfaces/ISurgeVault.sol";
import {SurgeVaultParameters} from "./SurgeVaultParameters.sol";
import {VaultLiquidityLib} from "./VaultLiquidityLib.sol";
import {VaultParametersLib} from "./VaultParametersLib.sol";

/// @title SurgeVault's buffer and strategy position
/// @notice See {VaultLiquidityLib} for how the buffer, routing and unstaking work.
abstract contract SurgeVaultLiquidity is SurgeVaultParameters, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using VaultLiquidityLib for VaultLiquidityLib.Store;

    IWETH9 internal immutable _weth;

    VaultLiquidityLib.Store internal _liquidity;

    constructor(IWETH9 weth, IRestakingStrategy strategy_) {
        address strategyAsset = strategy_.underlying();
        if (strategyAsset != address(weth)) revert StrategyAssetMismatch(address(weth), strategyAsset);
        _weth = weth;
        // The strategy is immutable and pulls exactly what the vault routes.
        IERC20(address(weth)).forceApprove(address(strategy_), type(uint256).max);
    }

    /// @dev Only WETH sends ETH here (when the vault unwraps); cheap enough for WETH9's 2,300-gas `transfer`.
    receive() external payable {
        if (msg.sender != address(_weth)) revert UnexpectedEthSender(msg.sender);
    }

    /// @inheritdoc ISurgeVault
    function rebalance() external nonReentrant {
        VaultParametersLib.Config memory c = _params.config;
        if (c.withdrawalsPaused) revert WithdrawalsPaused();
        // A deposit pause stops only routing: unstaking for the queue must go on, or claims would freeze.
        _liquidity.rebalance(
            _strategy,
            _weth,
            c.bufferTargetBps,
            c.bufferMaxBps,
            !c.depositsPaused,
            _params.reports.minReportInterval
        );
        _finalizeWithdrawals();
    }

    /// @inheritdoc ISurgeVault
    function syncLoss() external nonReentrant {
        _syncLoss();
    }

    /// @inheritdoc ISurgeVault
    function liquidity()
        external
        view
        returns (uint256 buffer, uint256 inStrategy, uint256 queued, uint256 unstaking, uint256 free)
    {
        VaultLiquidityLib.Holdings memory h = _liquidity.holdings;
        VaultLiquidityLib.Liabilities memory debts = _liquidity.liabilities;
        free = h.buffer > debts.queued ? h.buffer - debts.queued : 0;
        return (h.buffer, h.strategy, debts.queued, debts.unstaking, free);
    }

    /// @inheritdoc ISurgeVault
    function instantExitRemaining() public view returns (uint256) {
        return _liquidity.instantExitRemaining(_params.instantExitDailyLimit);
    }

    /// @dev How much to route after a deposit left `buffer` in the buffer and `strategyAssets_` in the strategy.
    function _routeAmount(uint256 buffer, uint256 strategyAssets_) internal view returns (uint256) {
        VaultParametersLib.Config storage c = _params.config;
        return _liquidity.routeAmount(buffer, strategyAssets_, c.bufferTargetBps, c.bufferMaxBps);
    }

    /// @dev Deposits `assets` of the buffer into the strategy. The caller has already moved them from `buffer` to
    /// `strategy` in the holdings (checks-effects-interactions). If the strategy refuses (paused, full, amount too
    /// small), the assets stay in the buffer: a strategy must never block deposits.
    function _depositIntoStrategy(uint256 assets) internal {
        try _strategy.deposit(assets) returns (uint256 shares) {
            emit AssetsRouted(assets, shares);
        } catch {
            _liquidity.undoRouting(assets);
        }
    }

    /// @dev Books at once a loss the strategy shows on chain (see {VaultLiquidityLib-syncLoss}); returns the total
    /// assets in the rate after it (locked gains left out).
    function _syncLoss() internal returns (uint256 vested) {
        return _liquidity.syncLoss(_strategy);
    }

    /// @dev Finalizes the withdrawal requests that are due and funded (the vault's queue; see {SurgeVault}).
    function _finalizeWithdrawals() internal virtual;

    /// @dev Unwraps `assets` WETH and sends the ETH to `receiver`. Called last, after all state changes.
    function _sendEth(address receiver, uint256 assets) internal {
        _weth.withdraw(assets);
        (bool ok, ) = receiver.call{value: assets}("");
        if (!ok) revert EthTransferFailed(receiver, assets);
    }
}

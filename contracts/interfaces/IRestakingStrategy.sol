// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Errors of a restaking strategy
interface IRestakingStrategyErrors {
    /// @notice A deposit, withdrawal or reward of zero was asked for.
    error StrategyZeroAmount();

    /// @notice `staker` asked to withdraw `requested` shares but holds only `available`.
    error InsufficientStrategyShares(address staker, uint256 requested, uint256 available);

    /// @notice No queued withdrawal has the root `withdrawalRoot` (or it was completed already).
    error WithdrawalNotFound(bytes32 withdrawalRoot);

    /// @notice `caller` is not the staker who queued `withdrawalRoot`.
    error NotWithdrawalStaker(bytes32 withdrawalRoot, address caller);

    /// @notice `withdrawalRoot` can be completed from block `completableBlock` on, not before.
    error WithdrawalNotCompletable(bytes32 withdrawalRoot, uint256 completableBlock);
}

/// @title Events of a restaking strategy
interface IRestakingStrategyEvents {
    /// @notice `staker` deposited `assets` of the underlying token and was credited `shares`.
    event StrategyDeposited(address indexed staker, uint256 assets, uint256 shares);

    /// @notice `staker` queued `shares` for withdrawal; the withdrawal completes from `completableBlock` on.
    event StrategyWithdrawalQueued(
        bytes32 indexed withdrawalRoot,
        address indexed staker,
        uint256 shares,
        uint256 completableBlock
    );

    /// @notice The queued withdrawal `withdrawalRoot` was completed and paid `assets` to `staker`.
    event StrategyWithdrawalCompleted(bytes32 indexed withdrawalRoot, address indexed staker, uint256 assets);
}

/// @title A restaking strategy, shaped after EigenLayer's StrategyManager/DelegationManager
/// @notice A staker deposits an ERC-20 (WETH for SurgeVault) and is credited shares. Rewards raise the value of a
/// share and slashing lowers it. To leave, the staker queues shares for withdrawal; the queued shares stay exposed
/// to rewards and slashing (as in EigenLayer, where queued withdrawals stay slashable) and are paid out at the share
/// value of the block in which the withdrawal is completed, no sooner than `withdrawalDelayBlocks` after queueing.
/// @dev On a local chain `contracts/mocks/MockRestakingLayer.sol` implements this directly; on a real network an
/// adapter in `contracts/vault/strategies/` would translate it to the restaking layer's own calls.
interface IRestakingStrategy is IRestakingStrategyErrors, IRestakingStrategyEvents {
    /// @notice The token that is deposited and paid out.
    function underlying() external view returns (address);

    /// @notice Blocks between queueing a withdrawal and the first block in which it can be completed.
    function withdrawalDelayBlocks() external view returns (uint256);

    /// @notice Pulls `assets` of `underlying()` from the caller (who must have approved this contract) and
    /// credits the caller with shares.
    /// @return shares The shares credited.
    function deposit(uint256 assets) external returns (uint256 shares);

    /// @notice Moves `shares` of the caller into a queued withdrawal.
    /// @return withdrawalRoot The identifier of the withdrawal, unique per strategy.
    function queueWithdrawal(uint256 shares) external returns (bytes32 withdrawalRoot);

    /// @notice Completes a queued withdrawal of the caller once its delay has passed and pays the caller.
    /// @return assets The amount of `underlying()` transferred to the caller.
    function completeWithdrawal(bytes32 withdrawalRoot) external returns (uint256 assets);

    /// @notice Shares of `staker` that are not queued for withdrawal.
    function sharesOf(address staker) external view returns (uint256);

    /// @notice Value in `underlying()` of `shares`, rounded down.
    function sharesToAssets(uint256 shares) external view returns (uint256);

    /// @notice Shares worth `assets` of `underlying()`, rounded down.
    function assetsToShares(uint256 assets) external view returns (uint256);

    /// @notice Everything `staker` holds in the strategy, valued now: active shares plus queued withdrawals.
    function totalAssetsOf(address staker) external view returns (uint256);

    /// @notice First block in which `withdrawalRoot` can be completed; 0 if it does not exist (or was completed).
    function completableBlock(bytes32 withdrawalRoot) external view returns (uint256);
}

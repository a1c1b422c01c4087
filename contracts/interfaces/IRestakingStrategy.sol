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

    /// @notice `withdrawalRoot` can be completed from unix time `completableAt` on, not before.
    error WithdrawalNotCompletable(bytes32 withdrawalRoot, uint256 completableAt);
}

/// @title Events of a restaking strategy
interface IRestakingStrategyEvents {
    /// @notice `staker` deposited `assets` of the underlying token and was credited `shares`.
    event StrategyDeposited(address indexed staker, uint256 assets, uint256 shares);

    /// @notice `staker` queued `shares` for withdrawal; the withdrawal completes from unix time `completableAt` on.
    event StrategyWithdrawalQueued(
        bytes32 indexed withdrawalRoot,
        address indexed staker,
        uint256 shares,
        uint256 completableAt
    );

    /// @notice The queued withdrawal `withdrawalRoot` was completed and paid `assets` to `staker`.
    event StrategyWithdrawalCompleted(bytes32 indexed withdrawalRoot, address indexed staker, uint256 assets);
}

/// @title A restaking strategy: deposit, queue a withdrawal, complete it after a delay in time
/// @notice A staker deposits an ERC-20 (WETH for SurgeVault) and is credited shares. Rewards raise the value of a
/// share and slashing lowers it. To leave, the staker queues shares for withdrawal; the queued withdrawal stays
/// exposed to slashing (Symbiotic slashes pending withdrawals pro rata with active stake) and is paid, no sooner than
/// `completableAt`, what is left of it then. Delays are in seconds, not blocks: Symbiotic's withdrawals wait for
/// the end of the next epoch, a span of time.
/// @dev `contracts/vault/strategies/SymbioticStrategy.sol` implements it over a Symbiotic vault (the devnet and the
/// tests deploy Symbiotic's own contracts); `contracts/mocks/MockRestakingLayer.sol` implements it directly for the
/// unit tests that need a fault Symbiotic cannot produce (a refused deposit, a failing completion, a changed delay).
interface IRestakingStrategy is IRestakingStrategyErrors, IRestakingStrategyEvents {
    /// @notice The token that is deposited and paid out.
    function underlying() external view returns (address);

    /// @notice The longest time, in seconds, between queueing a withdrawal and the moment it can be completed.
    function withdrawalDelay() external view returns (uint256);

    /// @notice Pulls `assets` of `underlying()` from the caller (who must have approved this contract) and
    /// credits the caller with shares.
    /// @return shares The shares credited.
    function deposit(uint256 assets) external returns (uint256 shares);

    /// @notice Moves `shares` of the caller into a queued withdrawal.
    /// @return withdrawalRoot The identifier of the withdrawal, unique per strategy.
    function queueWithdrawal(uint256 shares) external returns (bytes32 withdrawalRoot);

    /// @notice Completes a queued withdrawal of the caller once its delay has passed and pays the caller.
    /// @return assets The amount of `underlying()` transferred to the caller. A strategy whose layer pays all the
    /// withdrawals that mature together at once (Symbiotic, per epoch) may pay them with the first completion and 0
    /// for the others: the sum over the withdrawals is what counts.
    function completeWithdrawal(bytes32 withdrawalRoot) external returns (uint256 assets);

    /// @notice Shares of `staker` that are not queued for withdrawal.
    function sharesOf(address staker) external view returns (uint256);

    /// @notice Value in `underlying()` of `shares`, rounded down.
    function sharesToAssets(uint256 shares) external view returns (uint256);

    /// @notice Shares worth `assets` of `underlying()`, rounded down.
    function assetsToShares(uint256 assets) external view returns (uint256);

    /// @notice Everything `staker` holds in the strategy that the layer can prove now, after any slash: active
    /// shares plus queued withdrawals not yet completed.
    function totalAssetsOf(address staker) external view returns (uint256);

    /// @notice Unix time from which `withdrawalRoot` can be completed; 0 if it does not exist (or was completed).
    function completableAt(bytes32 withdrawalRoot) external view returns (uint256);
}

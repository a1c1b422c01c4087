// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title The few functions of a Symbiotic core vault (`@symbioticfi/core` 1.0.x, `Vault`) that SymbioticStrategy
/// calls
/// @notice Declared here, in our own words, so that our contracts never import Symbiotic's sources (which say
/// `pragma solidity 0.8.25` exactly); the devnet and the tests compile and deploy Symbiotic's own contracts.
/// Epochs: epoch `e` spans [epochDurationInit + e * epochDuration, epochDurationInit + (e + 1) * epochDuration).
/// A withdrawal made during epoch `e` is booked for epoch `e + 1` and can be claimed once epoch `e + 2` has begun;
/// until then it stays slashable, pro rata with the active stake.
interface ISymbioticVault {
    /// @notice The ERC-20 deposited and paid out.
    function collateral() external view returns (address);

    /// @notice Unix time at which epoch 0 began.
    function epochDurationInit() external view returns (uint48);

    /// @notice Length of an epoch, in seconds (fixed for the vault's life).
    function epochDuration() external view returns (uint48);

    /// @notice Pulls `amount` collateral from the caller and mints active shares to `onBehalfOf`.
    function deposit(
        address onBehalfOf,
        uint256 amount
    ) external returns (uint256 depositedAmount, uint256 mintedShares);

    /// @notice Burns `shares` active shares of the caller into a withdrawal of the next epoch, claimable by `claimer`.
    function redeem(address claimer, uint256 shares) external returns (uint256 withdrawnAssets, uint256 mintedShares);

    /// @notice Pays `recipient` the caller's withdrawals of `epoch` (which must have ended).
    function claim(address recipient, uint256 epoch) external returns (uint256 amount);

    /// @notice Active (not withdrawing) stake, after slashes.
    function activeStake() external view returns (uint256);

    /// @notice Active shares of all stakers.
    function activeShares() external view returns (uint256);

    /// @notice Active shares of `account`.
    function activeSharesOf(address account) external view returns (uint256);

    /// @notice Value of `account`'s active shares, after slashes.
    function activeBalanceOf(address account) external view returns (uint256);

    /// @notice What `account` can claim for `epoch`, after slashes.
    function withdrawalsOf(uint256 epoch, address account) external view returns (uint256);
}

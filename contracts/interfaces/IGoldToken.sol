// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title GOLD, the game's reward token
/// @notice An ERC-20 with ERC-2612 permit that only the settlement contract mints, never faster than an emission
/// schedule of `epochCap` per ended epoch.
interface IGoldToken is IERC20 {
    /// @notice `caller` is not the minter (the RewardSettlement that created this token).
    error NotMinter(address caller);

    /// @notice Minting would raise the supply to `supplyAfter`, above the `allowed` emission of the ended epochs.
    error EmissionScheduleExceeded(uint256 supplyAfter, uint256 allowed);

    /// @notice An epoch's length or the cap was zero.
    error InvalidSchedule();

    /// @notice The only address that may mint.
    function minter() external view returns (address);

    /// @notice Most GOLD (18 decimals) any one epoch may ever mint.
    function epochCap() external view returns (uint256);

    /// @notice Most GOLD the supply may reach now: `epochCap` times the number of epochs that have ended.
    function emissionAllowance() external view returns (uint256);

    /// @notice Mints `amount` to `to`. Only the minter; reverts above the emission schedule.
    function mint(address to, uint256 amount) external;
}

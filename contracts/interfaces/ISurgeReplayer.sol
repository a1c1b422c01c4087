// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeRules} from "../libraries/SurgeRules.sol";

/// @title ISurgeReplayer
/// @notice A stateless view of the game's rules: anyone (a UI, a worker, a challenger preparing a dispute) can
///         replay a run on-chain and see exactly what the settlement contract would compute.
interface ISurgeReplayer {
    /// @notice Replays the run of `seed` under `inputs`. Reverts with an `InputCodec` error on malformed inputs.
    function replay(bytes32 seed, bytes calldata inputs) external pure returns (SurgeRules.RunResult memory);

    /// @notice Checks `inputs` without replaying them; returns the declared tick count.
    function validateInputs(bytes calldata inputs) external pure returns (uint256 ticks);
}

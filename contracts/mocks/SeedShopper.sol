// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRunRegistry} from "../interfaces/IRunRegistry.sol";

/// @notice Test double of a seed-shopping contract wallet (issue 12): it starts a run and, in the same transaction,
/// tries to learn the run's seed to keep only a good one (reverting the start on a bad one), or to burn it with a
/// zero-tick submit. With seeds drawn from a later block's hash it can do neither.
contract SeedShopper {
    IRunRegistry public immutable registry;
    /// @notice Runs this wallet kept (their start was not reverted).
    uint256[] public kept;

    error BadSeed(bytes32 seed);

    constructor(IRunRegistry registry_) {
        registry = registry_;
    }

    /// @notice Starts a run and keeps it only if its seed (read in the same transaction) is below `threshold`.
    function startIfGood(uint256 threshold) external returns (uint256 runId) {
        (runId, ) = registry.startRun();
        bytes32 seed = registry.seedOf(runId); // reverts SeedNotDrawn: the seed block does not exist yet
        if (uint256(seed) >= threshold) revert BadSeed(seed);
        kept.push(runId);
    }

    /// @notice Starts a run and keeps it whatever its seed (what a shopper is reduced to).
    function start() external returns (uint256 runId) {
        (runId, ) = registry.startRun();
        kept.push(runId);
    }

    /// @notice Starts a run and submits `inputs` (a zero-tick run) in the same transaction: a session key's seed burn.
    function startAndBurn(bytes calldata inputs) external returns (uint256 runId) {
        (runId, ) = registry.startRun();
        registry.submitRun(runId, inputs);
    }

    function submit(uint256 runId, bytes calldata inputs) external {
        registry.submitRun(runId, inputs);
    }

    function keptCount() external view returns (uint256) {
        return kept.length;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice A run's id: `player << 96 | boostBps << 80 | nonce`, in one word. It is unique per player without a
/// global counter (players' transactions never write a shared slot for it), names the player GOLD is paid to, and
/// carries the boost fixed at `startRun`. The ABI sees a uint256; game/chain/runId.ts is its one TS codec.
type RunId is uint256;

using RunIdLib for RunId global;

/// @title RunIdLib: the fields of a RunId, by name
library RunIdLib {
    uint256 private constant NONCE_BITS = 80;
    uint256 private constant NONCE_MASK = (1 << NONCE_BITS) - 1;

    /// @dev `boostBps` must fit 16 bits and `nonce` 80 (RunRegistry's caps: 5,000 and one per run).
    function pack(address player_, uint256 boostBps_, uint256 nonce_) internal pure returns (RunId) {
        return RunId.wrap((uint256(uint160(player_)) << 96) | (boostBps_ << NONCE_BITS) | nonce_);
    }

    /// @notice The player the run belongs to (and GOLD is paid to).
    function player(RunId id) internal pure returns (address) {
        return address(uint160(RunId.unwrap(id) >> 96));
    }

    /// @notice The boost fixed at `startRun`, in basis points.
    function boostBps(RunId id) internal pure returns (uint256) {
        return (RunId.unwrap(id) >> NONCE_BITS) & 0xffff;
    }

    /// @notice The player's run number, from 1.
    function nonce(RunId id) internal pure returns (uint256) {
        return RunId.unwrap(id) & NONCE_MASK;
    }

    /// @notice `gold` with the run's boost: `gold * (10000 + boostBps) / 10000`, as every reader computes it.
    function boosted(RunId id, uint256 gold) internal pure returns (uint256) {
        return (gold * (10_000 + boostBps(id))) / 10_000;
    }
}

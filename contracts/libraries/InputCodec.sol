// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeConstants as K} from "./SurgeConstants.sol";
import {InputScan} from "./InputScan.sol";

/// @title InputCodec
/// @notice Strict validation of a run's compact input bytes, twin of `game/sim/codec.ts`:
///         byte 0 the format version (1); bytes 1..2 the tick count T, big-endian, at most MAX_TICKS; then tokens,
///         each an action (top 3 bits, 0..4) repeated (low 5 bits + 1) ticks, covering exactly T ticks, in canonical
///         form: a token repeats the previous token's action only if that token is full (32 ticks), so a sequence
///         of actions has exactly one encoding and the cost of replaying it does not depend on how it was split.
/// @dev The rules are checked in a fixed order so that TypeScript and Solidity reject the same bytes with the
///      same error: header, version, T, then per token (trailing, action, split, overrun), then coverage.
library InputCodec {
    /// @notice The inputs are shorter than the 3-byte header.
    error InputHeaderTruncated(uint256 length);
    /// @notice The format version byte is not 1.
    error UnsupportedInputVersion(uint256 version);
    /// @notice The header declares more ticks than a run may have.
    error TooManyTicks(uint256 ticks, uint256 maxTicks);
    /// @notice A token follows the last declared tick.
    error TrailingInputBytes(uint256 offset);
    /// @notice A token holds an action outside 0..4.
    error UnknownAction(uint256 offset, uint256 action);
    /// @notice A token repeats the action of the token before it although that one was not full (not canonical).
    error InputTokenSplit(uint256 offset);
    /// @notice A token runs past the declared tick count.
    error InputRunOverrun(uint256 offset, uint256 coveredTicks, uint256 declaredTicks);
    /// @notice The tokens cover fewer ticks than declared.
    error InputsTruncated(uint256 coveredTicks, uint256 declaredTicks);

    /// @notice Reverts unless `inputs` is well formed; returns the declared tick count.
    /// @dev Well-formed inputs (every replayed run) pass the word-at-a-time scan at a few gas a byte; only bad ones
    ///      walk the tokens one by one (`validateStrict`) to find the first broken rule.
    function validate(bytes calldata inputs) internal pure returns (uint256) {
        if (InputScan.isValid(inputs)) return (uint256(uint8(inputs[1])) << 8) | uint8(inputs[2]);
        return validateStrict(inputs);
    }

    /// @notice The rules themselves, token by token: reverts with the first broken rule, or returns the tick count.
    ///         `validate` gives the same answer faster; tests hold the scan equal to this.
    function validateStrict(bytes calldata inputs) internal pure returns (uint256 ticks) {
        uint256 len = inputs.length;
        if (len < K.INPUT_HEADER_BYTES) revert InputHeaderTruncated(len);
        if (uint8(inputs[0]) != K.INPUT_VERSION) revert UnsupportedInputVersion(uint8(inputs[0]));
        ticks = (uint256(uint8(inputs[1])) << 8) | uint8(inputs[2]);
        if (ticks > K.MAX_TICKS) revert TooManyTicks(ticks, K.MAX_TICKS);
        // In assembly (the compiled checked loop cost ~300 gas a byte). A bad byte only stops the loop; the revert
        // with its context is raised below, so the rules and their order read as in codec.ts.
        uint256 covered;
        uint256 i = K.INPUT_HEADER_BYTES;
        uint256 b;
        // `prev` is the token before byte i; the first token has none (0x100: no action equals 8).
        uint256 prev = 0x100;
        assembly ("memory-safe") {
            let base := inputs.offset
            // covered <= ticks <= MAX_TICKS before each add, and a token adds <= 32: no overflow.
            for {} lt(i, len) { i := add(i, 1) } {
                if eq(covered, ticks) { break }
                b := byte(0, calldataload(add(base, i)))
                if gt(shr(5, b), 4) { break }
                if and(eq(shr(5, b), shr(5, prev)), iszero(eq(and(prev, 31), 31))) { break }
                covered := add(covered, add(and(b, 31), 1))
                if gt(covered, ticks) { break }
                prev := b
            }
        }
        if (i < len) {
            if (covered == ticks) revert TrailingInputBytes(i);
            if (b >> 5 > K.DOWN) revert UnknownAction(i, b >> 5);
            if (covered > ticks) revert InputRunOverrun(i, covered, ticks);
            revert InputTokenSplit(i);
        }
        if (covered < ticks) revert InputsTruncated(covered, ticks);
    }
}

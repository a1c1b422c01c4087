// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeConstants as K} from "./SurgeConstants.sol";

/// @title InputScan
/// @notice A word-at-a-time test of whether run inputs are well formed: true exactly when `InputCodec.validate`
/// accepts them, at ~3 gas per byte instead of a byte-by-byte loop. It says only yes or no; callers that need the
/// reason run `InputCodec.validate` on a "no", which reverts with the precise error.
/// @dev Why it is equivalent: every token covers at least one tick, so the running tick count only grows. Hence
/// "no token after the last tick and no token past it" (InputCodec's trailing and overrun rules) together with
/// "tokens cover all ticks" is exactly "the tokens cover exactly T ticks". The remaining rules are the header
/// (version, T <= MAX_TICKS) and "every action <= DOWN". Both are checked on 32 bytes at once (SWAR):
/// - action: the top 3 bits of each byte, plus 3, reach bit 3 exactly when the action is 5, 6 or 7;
/// - ticks: the low 5 bits of the bytes are summed in 16-bit lanes (at most 62 per lane per word and at most 113
///   words, so no lane overflows), and the byte count adds the "+1" of each token;
/// - canonical form: each byte is paired with the byte before it (the same word read one byte earlier); a pair is
///   a split when the actions are equal (their xor's top 3 bits are zero) and the earlier token is not full (its
///   low 5 bits, inverted, are not zero). Each test is a per-byte "is non-zero" on values below 0x80: adding 0x7f
///   sets the byte's top bit exactly when the value is not zero, and never carries into the next byte.
/// Bytes past the end of the inputs in the last word are masked to zero, which adds nothing to the first two; the
/// split test is masked to pairs whose later byte is a token after the first.
library InputScan {
    uint256 private constant LOW5 = 0x1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f;
    uint256 private constant TOP3 = 0x0707070707070707070707070707070707070707070707070707070707070707;
    uint256 private constant BIAS = 0x0303030303030303030303030303030303030303030303030303030303030303;
    uint256 private constant BIT3 = 0x0808080808080808080808080808080808080808080808080808080808080808;
    uint256 private constant SEVEN = 0x7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f7f;
    uint256 private constant HIGH = 0x8080808080808080808080808080808080808080808080808080808080808080;
    uint256 private constant LANES16 = 0x00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff00ff;
    uint256 private constant LANES32 = 0x0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff0000ffff;
    /// @dev Multiplying by this sums eight 32-bit lanes into the top lane.
    uint256 private constant SUM32 = 0x0000000100000001000000010000000100000001000000010000000100000001;

    /// @notice Whether `inputs` are well formed (exactly when `InputCodec.validate` would not revert).
    function isValid(bytes calldata inputs) internal pure returns (bool) {
        uint256 len = inputs.length;
        if (len < K.INPUT_HEADER_BYTES || len > K.MAX_INPUT_BYTES) return false;
        uint256 header;
        uint256 lanes;
        uint256 bad;
        assembly ("memory-safe") {
            header := shr(232, calldataload(inputs.offset))
            let end := add(inputs.offset, len)
            // The first token has no token before it: its pair (with the header's last byte) is not tested.
            let pairs := shr(8, not(0))
            for {
                let p := add(inputs.offset, 3)
            } lt(p, end) {
                p := add(p, 32)
            } {
                let w := calldataload(p)
                let rem := sub(end, p)
                if lt(rem, 32) {
                    let keep := not(shr(mul(rem, 8), not(0)))
                    w := and(w, keep)
                    pairs := and(pairs, keep)
                }
                bad := or(bad, and(add(and(shr(5, w), TOP3), BIAS), BIT3))
                let prev := calldataload(sub(p, 1))
                let otherAction := and(add(and(shr(5, xor(w, prev)), TOP3), SEVEN), HIGH)
                let notFull := and(add(and(not(prev), LOW5), SEVEN), HIGH)
                bad := or(bad, and(and(not(otherAction), notFull), pairs))
                pairs := not(0)
                let low := and(w, LOW5)
                lanes := add(lanes, add(and(low, LANES16), and(shr(8, low), LANES16)))
            }
        }
        if (header >> 16 != K.INPUT_VERSION) return false;
        uint256 ticks = header & 0xffff;
        if (ticks > K.MAX_TICKS || bad != 0) return false;
        // Fold the sixteen 16-bit lanes into eight 32-bit ones, then sum those: the total is at most
        // 3,600 * 31 < 2^32, so no partial sum carries into the next lane.
        lanes = (lanes & LANES32) + ((lanes >> 16) & LANES32);
        uint256 covered;
        unchecked {
            // Wraps by design (mod 2^256): only the top lane of the product is read.
            covered = (lanes * SUM32) >> 224;
        }
        return covered + (len - K.INPUT_HEADER_BYTES) == ticks;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SignerSet: a sorted list of signer indices (an attestation's non-signers), its hash and membership
/// @notice The list is strictly increasing uint256 indices; its commitment is keccak256 of the packed words, which is
/// `keccak256(abi.encodePacked(list))` and, off-chain, `keccak256(encodePacked(["uint256[]"], [list]))`.
library SignerSet {
    /// @notice keccak256 of the packed list.
    function hash(uint256[] calldata list) internal pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            let size := shl(5, list.length)
            calldatacopy(m, list.offset, size)
            h := keccak256(m, size)
        }
    }

    /// @notice Whether the strictly increasing `list` holds `index` (binary search: O(log n) reads).
    function contains(uint256[] calldata list, uint256 index) internal pure returns (bool) {
        uint256 lo;
        uint256 hi = list.length;
        while (lo < hi) {
            // lo < hi <= list.length: no overflow, and mid < list.length.
            unchecked {
                uint256 mid = (lo + hi) >> 1;
                uint256 v = list[mid];
                if (v == index) return true;
                if (v < index) lo = mid + 1;
                else hi = mid;
            }
        }
        return false;
    }
}

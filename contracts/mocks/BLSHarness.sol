// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../libraries/BLS.sol";

/// @title BLSHarness: the BLS library behind external calls, for the cross tests against game/chain/bls.ts
contract BLSHarness {
    function expandMessageXmd(
        bytes calldata message,
        bytes calldata dst,
        uint256 len
    ) external pure returns (bytes memory) {
        return BLS.expandMessageXmd(message, dst, len);
    }

    function hashToG2(bytes calldata message, bytes calldata dst) external view returns (bytes memory) {
        return BLS.hashToG2(message, dst);
    }

    function verify(
        bytes calldata pk,
        bytes calldata message,
        bytes calldata dst,
        bytes calldata sig
    ) external view returns (bool) {
        return BLS.verify(BLS.pack(pk), message, dst, sig);
    }

    function add(bytes calldata a, bytes calldata b) external view returns (bytes memory) {
        return BLS.unpack(BLS.add(BLS.pack(a), BLS.pack(b)));
    }

    function sub(bytes calldata a, bytes calldata b) external view returns (bytes memory) {
        return BLS.unpack(BLS.sub(BLS.pack(a), BLS.pack(b)));
    }

    /// @notice Whether `precompile` answers `input` (and with how many bytes).
    function probe(address precompile, bytes calldata input) external view returns (bool ok, uint256 length) {
        bytes memory out;
        (ok, out) = precompile.staticcall(input);
        length = out.length;
    }

    /// @notice Gas of one `verify`.
    function verifyGas(
        bytes calldata pk,
        bytes calldata message,
        bytes calldata dst,
        bytes calldata sig
    ) external view returns (uint256 used, bool ok) {
        uint256 before = gasleft();
        ok = BLS.verify(BLS.pack(pk), message, dst, sig);
        used = before - gasleft();
    }
}

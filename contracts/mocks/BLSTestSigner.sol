// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../libraries/BLS.sol";

/// @title BLSTestSigner: BLS keys and signatures computed on-chain with G1MSM and G2MSM, for Solidity tests only
/// @notice sk * g1 is a public key, sk * H(m) a signature (`BLS.hashToG2`). Secret keys in tests are public: never use
/// this outside tests.
library BLSTestSigner {
    /// @dev The order r of G1 and G2.
    uint256 internal constant R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001;
    uint256 private constant G1_X_HI = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant G1_Y_HI = 0x08b3f481e3aaa0f1a09e30ed741d8ae4;
    uint256 private constant G1_Y_LO = 0xfcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1;

    /// @notice A secret key in [1, r) from any seed.
    function secretKey(bytes32 seed) internal pure returns (uint256) {
        return (uint256(keccak256(abi.encode("BLSTestSigner", seed))) % (R - 1)) + 1;
    }

    /// @notice sk * g1 (128 bytes).
    function publicKey(uint256 sk) internal view returns (bytes memory) {
        return _call(address(0x0c), abi.encode(G1_X_HI, G1_X_LO, G1_Y_HI, G1_Y_LO, sk), 128);
    }

    /// @notice sk * H(message) with tag `dst` (256 bytes).
    function sign(uint256 sk, bytes memory message, bytes memory dst) internal view returns (bytes memory) {
        return _call(address(0x0e), bytes.concat(BLS.hashToG2(message, dst), bytes32(sk)), 256);
    }

    /// @notice The proof of possession `WorkerRegistry.register` wants from `worker` at `registry`.
    function pop(uint256 sk, address registry, address worker, bytes memory dst) internal view returns (bytes memory) {
        return sign(sk, abi.encodePacked(block.chainid, registry, worker, publicKey(sk)), dst);
    }

    /// @notice a + b in G2.
    function addG2(bytes memory a, bytes memory b) internal view returns (bytes memory) {
        return _call(address(0x0d), bytes.concat(a, b), 256);
    }

    function _call(address precompile, bytes memory input, uint256 outLength) private view returns (bytes memory out) {
        bool ok;
        (ok, out) = precompile.staticcall(input);
        if (!ok || out.length != outLength) revert BLS.BLSPrecompileFailed(precompile);
    }
}

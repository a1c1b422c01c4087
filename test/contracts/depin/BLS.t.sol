// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {BLS} from "../../../contracts/libraries/BLS.sol";
import {SignerSet} from "../../../contracts/libraries/SignerSet.sol";
import {BLSTestSigner} from "../../../contracts/mocks/BLSTestSigner.sol";

/// @notice BLS.sol and SignerSet.sol on random keys, messages and lists (the TypeScript cross tests are in
/// test/chain/bls.test.ts; keys here come from the G1MSM/G2MSM precompiles).
contract BLSTest is Test {
    bytes private constant DST = "SURGE-GOLD-V1_BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    function _key(uint256 seed) private pure returns (uint256) {
        return BLSTestSigner.secretKey(bytes32(seed));
    }

    /// A signature verifies under its key and message, and not under another key, message or tag.
    function testFuzz_verify_onlyItsKeyMessageAndTag(uint256 seedA, uint256 seedB, bytes calldata message) public view {
        vm.assume(seedA != seedB);
        uint256 a = _key(seedA);
        uint256 b = _key(seedB);
        BLS.Packed memory pkA = BLS.pack(BLSTestSigner.publicKey(a));
        BLS.Packed memory pkB = BLS.pack(BLSTestSigner.publicKey(b));
        bytes memory sig = BLSTestSigner.sign(a, message, DST);
        assertTrue(BLS.verify(pkA, message, DST, sig), "its own signature");
        assertFalse(BLS.verify(pkB, message, DST, sig), "another key");
        assertFalse(BLS.verify(pkA, bytes.concat(message, hex"00"), DST, sig), "another message");
        assertFalse(BLS.verify(pkA, message, "ANOTHER-TAG", sig), "another tag");
    }

    /// The sum of two signatures verifies under the sum of the keys; subtracting a key leaves the other's.
    function testFuzz_aggregate_addAndSubtractKeys(uint256 seedA, uint256 seedB, bytes32 digest) public view {
        vm.assume(seedA != seedB);
        uint256 a = _key(seedA);
        uint256 b = _key(seedB);
        BLS.Packed memory pkA = BLS.pack(BLSTestSigner.publicKey(a));
        BLS.Packed memory pkB = BLS.pack(BLSTestSigner.publicKey(b));
        bytes memory message = abi.encodePacked(digest);
        bytes memory agg = BLSTestSigner.addG2(BLSTestSigner.sign(a, message, DST), BLSTestSigner.sign(b, message, DST));
        BLS.Packed memory apk = BLS.add(pkA, pkB);
        assertTrue(BLS.verify(apk, message, DST, agg), "the aggregate under the aggregate key");
        assertFalse(BLS.verify(pkA, message, DST, agg), "not under one of the keys");
        BLS.Packed memory back = BLS.sub(apk, pkB);
        assertEq(keccak256(BLS.unpack(back)), keccak256(BLS.unpack(pkA)), "apk - pkB = pkA");
        assertTrue(BLS.isInfinity(BLS.sub(pkA, pkA)), "pk - pk is the point at infinity");
        assertFalse(BLS.verify(BLS.sub(pkA, pkA), message, DST, new bytes(256)), "infinity verifies nothing");
    }

    /// Binary search agrees with a linear scan on any strictly increasing list.
    function testFuzz_contains_matchesALinearScan(uint8[] calldata gaps, uint256 probe) public view {
        uint256[] memory list = new uint256[](gaps.length);
        uint256 v;
        for (uint256 i; i < gaps.length; ++i) {
            v += uint256(gaps[i]) + 1;
            list[i] = v;
        }
        probe = bound(probe, 0, v + 2);
        bool linear;
        for (uint256 i; i < list.length; ++i) linear = linear || list[i] == probe;
        assertEq(this.contains(list, probe), linear);
        assertEq(this.hash(list), keccak256(abi.encodePacked(list)));
    }

    function contains(uint256[] calldata list, uint256 index) external pure returns (bool) {
        return SignerSet.contains(list, index);
    }

    function hash(uint256[] calldata list) external pure returns (bytes32) {
        return SignerSet.hash(list);
    }
}

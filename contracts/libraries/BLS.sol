// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title BLS: BLS12-381 signatures (public keys in G1, signatures in G2) over the EIP-2537 precompiles
/// @notice Encodings are EIP-2537's: an Fp element is 64 bytes big-endian (its top 16 bytes zero), a G1 point is
/// `x | y` (128 bytes), a G2 point `x.c0 | x.c1 | y.c0 | y.c1` (256 bytes); the point at infinity is all zeros.
/// Messages are hashed to G2 per RFC 9380 (`BLS12381G2_XMD:SHA-256_SSWU_RO_`: expand_message_xmd with SHA-256,
/// hash_to_field into two Fp2 elements, each mapped with MAP_FP2_TO_G2, which clears the cofactor, then added), so
/// signatures match the noble-curves library's `bls12_381` G2 signatures with a custom DST (game/chain/bls.ts).
/// A signature verifies iff e(pk, H(m)) = e(g1, sig), checked as e(pk, H(m)) * e(-g1, sig) = 1 by PAIRING_CHECK,
/// which also rejects points off the curve or outside the prime-order subgroups.
/// @dev A stored public key is packed into three words: `x_hi | y_hi` (16 bytes each, the low halves of the Fp
/// elements' first words), `x_lo`, `y_lo` (`Packed`), so reading one costs three storage reads instead of four.
library BLS {
    /// @dev A G1 point in three words (see the library's @dev).
    struct Packed {
        uint256 hi;
        uint256 xLo;
        uint256 yLo;
    }

    uint256 private constant G1ADD = 0x0b;
    uint256 private constant G2ADD = 0x0d;
    uint256 private constant PAIRING_CHECK = 0x0f;
    uint256 private constant MAP_FP2_TO_G2 = 0x11;
    uint256 private constant MODEXP = 0x05;

    /// @dev The base field modulus p, as its top 16 bytes and its low 32 bytes.
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;
    /// @dev -g1, the negated generator of G1.
    uint256 private constant NEG_G1_X_HI = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant NEG_G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant NEG_G1_Y_HI = 0x114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 private constant NEG_G1_Y_LO = 0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    /// @notice An encoding is not a point of the expected length.
    error BLSInvalidLength(uint256 length);
    /// @notice A precompile refused its input (a point off the curve or outside its subgroup, a malformed element).
    error BLSPrecompileFailed(address precompile);
    /// @notice The domain separation tag is empty or longer than 255 bytes.
    error BLSInvalidDST();

    // ---------------------------------------------------------------- G1

    /// @notice Packs a 128-byte G1 point into three words; reverts unless it is 128 bytes with zero-padded elements
    /// (whether it is on the curve is for the precompiles to say).
    function pack(bytes memory point) internal pure returns (Packed memory p) {
        if (point.length != 128) revert BLSInvalidLength(point.length);
        uint256 xHi;
        uint256 yHi;
        assembly ("memory-safe") {
            xHi := mload(add(point, 0x20))
            yHi := mload(add(point, 0x60))
            mstore(add(p, 0x20), mload(add(point, 0x40)))
            mstore(add(p, 0x40), mload(add(point, 0x80)))
        }
        if (xHi >> 128 != 0 || yHi >> 128 != 0) revert BLSInvalidLength(point.length);
        p.hi = (xHi << 128) | yHi;
    }

    /// @notice The 128-byte encoding of a packed G1 point.
    function unpack(Packed memory p) internal pure returns (bytes memory point) {
        point = new bytes(128);
        uint256 hi = p.hi;
        assembly ("memory-safe") {
            mstore(add(point, 0x20), shr(128, hi))
            mstore(add(point, 0x40), mload(add(p, 0x20)))
            mstore(add(point, 0x60), and(hi, 0xffffffffffffffffffffffffffffffff))
            mstore(add(point, 0x80), mload(add(p, 0x40)))
        }
    }

    /// @notice Whether `p` is the point at infinity (all zeros).
    function isInfinity(Packed memory p) internal pure returns (bool) {
        return p.hi == 0 && p.xLo == 0 && p.yLo == 0;
    }

    /// @notice a + b in G1 (G1ADD checks that both are on the curve).
    function add(Packed memory a, Packed memory b) internal view returns (Packed memory r) {
        bytes memory input = bytes.concat(unpack(a), unpack(b));
        bytes memory out = new bytes(128);
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), G1ADD, add(input, 0x20), 256, add(out, 0x20), 128)
        }
        if (!ok) revert BLSPrecompileFailed(address(uint160(G1ADD)));
        return pack(out);
    }

    /// @notice -p in G1: (x, p - y); the point at infinity is its own negation.
    function neg(Packed memory p) internal pure returns (Packed memory r) {
        if (isInfinity(p)) return p;
        uint256 yHi = p.hi & type(uint128).max;
        uint256 yLo = p.yLo;
        // y < p (G1ADD and the pairing refuse anything else), so p - y needs one borrow at most and stays positive.
        unchecked {
            uint256 lo = P_LO - yLo;
            uint256 hi = P_HI - yHi - (yLo > P_LO ? 1 : 0);
            r.hi = ((p.hi >> 128) << 128) | hi;
            r.xLo = p.xLo;
            r.yLo = lo;
        }
    }

    /// @notice a - b in G1.
    function sub(Packed memory a, Packed memory b) internal view returns (Packed memory) {
        return add(a, neg(b));
    }

    // ---------------------------------------------------------------- signatures

    /// @notice Whether `signature` (a 256-byte G2 point) is a signature of `message` under the packed G1 key `pk`
    /// with domain separation tag `dst`. False for any malformed or off-subgroup point and for a key at infinity.
    function verify(
        Packed memory pk,
        bytes memory message,
        bytes memory dst,
        bytes memory signature
    ) internal view returns (bool) {
        if (signature.length != 256 || isInfinity(pk)) return false;
        bytes memory input = bytes.concat(
            unpack(pk),
            hashToG2(message, dst),
            abi.encode(NEG_G1_X_HI, NEG_G1_X_LO, NEG_G1_Y_HI, NEG_G1_Y_LO),
            signature
        );
        bool ok;
        uint256 result;
        assembly ("memory-safe") {
            ok := staticcall(gas(), PAIRING_CHECK, add(input, 0x20), 768, 0x00, 0x20)
            result := mload(0x00)
        }
        return ok && result == 1;
    }

    // ---------------------------------------------------------------- hash to G2 (RFC 9380)

    /// @notice hash_to_curve(message) in G2 with `dst` (suite BLS12381G2_XMD:SHA-256_SSWU_RO_), 256 bytes.
    function hashToG2(bytes memory message, bytes memory dst) internal view returns (bytes memory point) {
        bytes memory uniform = expandMessageXmd(message, dst, 256);
        // hash_to_field, count 2, m 2, L 64: u0 = (e0, e1), u1 = (e2, e3), each e the next 64 bytes mod p.
        bytes memory q0 = _mapToG2(bytes.concat(_modP(uniform, 0), _modP(uniform, 64)));
        bytes memory q1 = _mapToG2(bytes.concat(_modP(uniform, 128), _modP(uniform, 192)));
        bytes memory input = bytes.concat(q0, q1);
        point = new bytes(256);
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), G2ADD, add(input, 0x20), 512, add(point, 0x20), 256)
        }
        if (!ok) revert BLSPrecompileFailed(address(uint160(G2ADD)));
    }

    /// @notice expand_message_xmd (RFC 9380 section 5.3.1) with SHA-256; `lenInBytes` a multiple of 32, at most 8160.
    function expandMessageXmd(
        bytes memory message,
        bytes memory dst,
        uint256 lenInBytes
    ) internal pure returns (bytes memory out) {
        if (dst.length == 0 || dst.length > 255) revert BLSInvalidDST();
        bytes memory dstPrime = bytes.concat(dst, bytes1(uint8(dst.length)));
        uint256 ell = lenInBytes / 32;
        // b_0 = H(Z_pad (64 zero bytes) | msg | I2OSP(len_in_bytes, 2) | I2OSP(0, 1) | DST_prime)
        bytes32 b0 = sha256(bytes.concat(new bytes(64), message, bytes2(uint16(lenInBytes)), bytes1(0), dstPrime));
        // b_1 = H(b_0 | I2OSP(1, 1) | DST_prime); b_i = H(strxor(b_0, b_(i-1)) | I2OSP(i, 1) | DST_prime)
        bytes32 bi = sha256(bytes.concat(b0, bytes1(uint8(1)), dstPrime));
        out = new bytes(lenInBytes);
        assembly ("memory-safe") {
            mstore(add(out, 0x20), bi)
        }
        for (uint256 i = 2; i <= ell; ++i) {
            bi = sha256(bytes.concat(b0 ^ bi, bytes1(uint8(i)), dstPrime));
            assembly ("memory-safe") {
                mstore(add(out, shl(5, i)), bi)
            }
        }
    }

    /// @dev The 64 bytes of `data` at `offset`, read as a big-endian integer, mod p: a 64-byte Fp element (MODEXP with
    /// exponent 1; its output has the modulus's length).
    function _modP(bytes memory data, uint256 offset) private view returns (bytes memory e) {
        bytes memory input = abi.encodePacked(uint256(64), uint256(1), uint256(64));
        input = bytes.concat(input, _slice64(data, offset), bytes1(uint8(1)), abi.encode(P_HI, P_LO));
        e = new bytes(64);
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), MODEXP, add(input, 0x20), mload(input), add(e, 0x20), 64)
        }
        if (!ok) revert BLSPrecompileFailed(address(uint160(MODEXP)));
    }

    function _slice64(bytes memory data, uint256 offset) private pure returns (bytes memory s) {
        s = new bytes(64);
        assembly ("memory-safe") {
            mstore(add(s, 0x20), mload(add(add(data, 0x20), offset)))
            mstore(add(s, 0x40), mload(add(add(data, 0x40), offset)))
        }
    }

    function _mapToG2(bytes memory fp2) private view returns (bytes memory point) {
        point = new bytes(256);
        bool ok;
        assembly ("memory-safe") {
            ok := staticcall(gas(), MAP_FP2_TO_G2, add(fp2, 0x20), 128, add(point, 0x20), 256)
        }
        if (!ok) revert BLSPrecompileFailed(address(uint160(MAP_FP2_TO_G2)));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeConstants as K} from "./SurgeConstants.sol";

/// @title SurgeHash
/// @notice The shared 32-bit integer hash and the world generator built on it. `game/sim/hash.ts` and
///         `game/sim/world.ts` compute the same values; every value here is an unsigned 32-bit integer held
///         in a uint256 and masked after each multiplication.
library SurgeHash {
    uint256 internal constant MASK = 0xffffffff;
    /// @dev Separates the coarse "rich zone" hash from the cell hash.
    uint256 internal constant ZONE_SALT = 0xa5000000;

    /// @notice "lowbias32" mixer: every input bit affects every output bit.
    function mix32(uint256 v) internal pure returns (uint256) {
        unchecked {
            // v < 2^32 and both factors < 2^32, so each product is < 2^64: no overflow of uint256.
            v ^= v >> 16;
            v = (v * 0x7feb352d) & MASK;
            v ^= v >> 15;
            v = (v * 0x846ca68b) & MASK;
            return v ^ (v >> 16);
        }
    }

    /// @notice Hash of cell (x, y) under the seed words k0, k1. `(y << 8) ^ x` is unique for x < 16.
    function cellHash(uint256 k0, uint256 k1, uint256 x, uint256 y) internal pure returns (uint256) {
        return mix32(k0 ^ mix32(k1 ^ (y << 8) ^ x));
    }

    /// @notice Hash of the 4x4 zone that holds cell (x, y); one zone in eight is rich in gold.
    function zoneHash(uint256 k0, uint256 k1, uint256 x, uint256 y) internal pure returns (uint256) {
        return mix32(k1 ^ mix32(k0 ^ ZONE_SALT ^ ((y >> 2) << 8) ^ (x >> 2)));
    }

    /// @notice Folds one 32-bit word into a running digest.
    function fold(uint256 digest, uint256 word) internal pure returns (uint256) {
        return mix32(digest ^ word);
    }

    /// @notice The generated type of cell (x, y): treasure from the hash's low ten bits (richer in a rich zone),
    ///         terrain from the next ten. Deeper tiers (`y >> 5`) hold more gold and more danger.
    function generateCell(uint256 k0, uint256 k1, uint256 x, uint256 y) internal pure returns (uint256) {
        if (y == 0) return K.EMPTY;
        if (y >= K.DEPTH - 1) return K.BEDROCK;
        uint256 h = cellHash(k0, k1, x, y);
        uint256 tier = y >> 5;
        uint256 r = h & 1023;
        // gem + big + ore = (1 + tier) + (6 + 2 tier) + (18 + 3 tier); the zone hash is needed only when r could
        // fall in a treasure band at its widest (x3 for gold and gems, x2 for nuggets).
        bool maybeTreasure;
        unchecked {
            // tier < 10 (y < DEPTH = 320): the bound is < 300.
            maybeTreasure = r < 3 * (25 + 6 * tier) + 2 * 40;
        }
        if (maybeTreasure) {
            uint256 treasure = _treasure(r, tier, (zoneHash(k0, k1, x, y) & 7) == 0);
            if (treasure != K.EMPTY) return treasure;
        }
        return _terrain((h >> 10) & 1023, tier);
    }

    /// @dev The treasure band r falls in, or EMPTY for none.
    function _treasure(uint256 r, uint256 tier, bool rich) private pure returns (uint256) {
        // unchecked: tier < 10, so every band sum here is below 1024.
        unchecked {
            uint256 m = rich ? 3 : 1;
            uint256 t = (1 + tier) * m;
            if (r < t) return K.GEM;
            t += (6 + 2 * tier) * m;
            if (r < t) return K.BIG_NUGGET;
            t += (18 + 3 * tier) * m;
            if (r < t) return K.ORE;
            t += rich ? 80 : 40;
            if (r < t) return K.NUGGET;
            return K.EMPTY;
        }
    }

    function _terrain(uint256 q, uint256 tier) private pure returns (uint256) {
        // unchecked: tier < 10, so every band sum here is below 1024.
        unchecked {
            uint256 t = 10;
            if (q < t) return K.CANTEEN;
            t += 6 + 4 * tier;
            if (q < t) return K.GAS;
            t += 16 + 4 * tier;
            if (q < t) return K.BOULDER;
            t += 90 + 12 * tier;
            if (q < t) return K.ROCK;
            t += 4 + 2 * tier;
            if (q < t) return K.BEDROCK;
            return K.DIRT;
        }
    }
}

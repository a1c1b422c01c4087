// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title SurgeConstants
/// @notice Every number of the game's rules. Mirrors `game/sim/constants.ts`; the shared test vectors fail if
///         the two ever disagree.
library SurgeConstants {
    /// @dev Must stay 16: a cell index is `y << 4 | x`.
    uint256 internal constant WIDTH = 16;
    uint256 internal constant DEPTH = 320;
    uint256 internal constant MAX_TICKS = 3600;

    uint256 internal constant START_X = 8;
    uint256 internal constant START_Y = 0;
    uint256 internal constant START_ENERGY = 300;
    uint256 internal constant MAX_ENERGY = 600;
    uint256 internal constant START_LIVES = 3;

    uint256 internal constant MOVE_COOLDOWN = 2;
    uint256 internal constant DIG_COOLDOWN = 3;
    uint256 internal constant HIT_COOLDOWN = 3;
    uint256 internal constant STUN_COOLDOWN = 20;

    uint256 internal constant DIG_COST = 1;
    uint256 internal constant HIT_COST = 2;
    uint256 internal constant CANTEEN_ENERGY = 60;
    uint256 internal constant ROCK_HP = 3;
    uint256 internal constant BOULDER_HP = 2;

    uint256 internal constant WOBBLE_TICKS = 12;
    uint256 internal constant FALL_TICKS = 2;
    uint256 internal constant MAX_FALLING = 6;

    uint256 internal constant SURGE_WINDOW = 30;
    uint256 internal constant MAX_SURGE = 4;

    uint256 internal constant NUGGET_VALUE = 5;
    uint256 internal constant ORE_VALUE = 15;
    uint256 internal constant BIG_NUGGET_VALUE = 40;
    uint256 internal constant GEM_VALUE = 120;

    uint256 internal constant INPUT_VERSION = 1;
    uint256 internal constant INPUT_HEADER_BYTES = 3;
    uint256 internal constant MAX_INPUT_BYTES = INPUT_HEADER_BYTES + MAX_TICKS;

    // Cell types (game/sim/world.ts `Cell`).
    uint256 internal constant EMPTY = 0;
    uint256 internal constant DIRT = 1;
    uint256 internal constant ROCK = 2;
    uint256 internal constant BOULDER = 3;
    uint256 internal constant BEDROCK = 4;
    uint256 internal constant GAS = 5;
    uint256 internal constant NUGGET = 6;
    uint256 internal constant ORE = 7;
    uint256 internal constant BIG_NUGGET = 8;
    uint256 internal constant GEM = 9;
    uint256 internal constant CANTEEN = 10;
    uint256 internal constant FALLING = 11;

    // Actions (game/sim/codec.ts `Action`).
    uint256 internal constant NONE = 0;
    uint256 internal constant LEFT = 1;
    uint256 internal constant RIGHT = 2;
    uint256 internal constant UP = 3;
    uint256 internal constant DOWN = 4;
}

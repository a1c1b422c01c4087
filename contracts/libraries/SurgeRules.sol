// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SurgeConstants as K} from "./SurgeConstants.sol";
import {SurgeHash} from "./SurgeHash.sol";
import {InputCodec} from "./InputCodec.sol";

/// @title SurgeRules
/// @notice On-chain replay of a run: the same result as `replay(seed, inputs)` in `game/sim/engine.ts`, bit for
///         bit. The contract is the ground truth; the workers make it cheap by replaying off-chain.
/// @dev Kept in the same order as engine.ts, phase for phase, so that a reader can hold the two side by side.
///      State lives in memory; the world is generated lazily and only changed cells are kept, in an overlay of
///      WIDTH * DEPTH bytes (0 = as generated, else 0x80 | damage << 4 | type).
library SurgeRules {
    /// @notice What a run earned and how it ended. `digest` folds every world change, for debugging divergence.
    struct RunResult {
        uint32 gold;
        uint32 ticks;
        uint32 maxDepth;
        uint32 lives;
        uint32 energy;
        uint32 digest;
    }

    struct State {
        uint256 k0;
        uint256 k1;
        uint256 tick;
        uint256 x;
        uint256 y;
        uint256 energy;
        uint256 lives;
        uint256 gold;
        uint256 surge;
        uint256 surgeTimer;
        uint256 cooldown;
        uint256 maxDepth;
        uint256 digest;
        uint256 rockCount;
        bool ended;
        /// @dev Overlay, WIDTH * DEPTH bytes, indexed `y << 4 | x`.
        bytes over;
        /// @dev MAX_FALLING rocks, three words each: x, y (REMOVED once landed or shattered), and the tick at which
        ///      the rock next moves. engine.ts keeps a countdown instead; an absolute tick lets quiet ticks pass
        ///      without touching the rocks (a countdown set to c during tick t runs out at tick t + c, or t + c - 1
        ///      when the rock phase of tick t still counts it down: see `_undermine`).
        uint256[] rocks;
    }

    uint256 private constant TOUCHED = 0x80;
    /// @dev Marks a rock slot for removal at the end of the rock phase (engine.ts uses y = -1).
    uint256 private constant REMOVED = type(uint256).max;

    /// @notice Validates `inputs` (reverting with an `InputCodec` error) and replays the run keyed by `seed`.
    /// @dev engine.ts steps every tick; here only the ticks in which something can happen are stepped one by one
    ///      (`_advance`): the prospector acts, or a rock moves. Every other tick ("quiet": the prospector idle or
    ///      cooling down, no rock timer running out) changes counters only, and a stretch of them is applied in one
    ///      `_skip`, however many tokens it spans. So what a replay costs grows with what happens in the run, not
    ///      with its tick count or with the inputs sent while the prospector was busy (which are ignored).
    ///      The parity tests hold the two equal.
    function replay(bytes32 seed, bytes calldata inputs) internal pure returns (RunResult memory) {
        InputCodec.validate(inputs);
        State memory s = _init(seed);
        uint256 end = inputs.length;
        uint256 i = K.INPUT_HEADER_BYTES;
        uint256 action;
        uint256 left; // ticks left in the current token
        while (!s.ended) {
            if (left == 0) {
                if (i == end) break;
                (action, left) = _token(inputs, i);
                ++i;
            }
            uint256 quiet = s.rockCount == 0 ? type(uint256).max : _nextRockMove(s) - s.tick - 1;
            if (s.cooldown > 0) {
                // The prospector is busy: the inputs of the next `cooldown` ticks are ignored, whatever they are.
                if (s.cooldown < quiet) quiet = s.cooldown;
                // Walk the tokens of those ticks (in assembly: a player may send one token per ignored tick, and
                // each must cost little). skipped <= quiet <= cooldown <= STUN_COOLDOWN, take <= left.
                uint256 skipped;
                assembly ("memory-safe") {
                    for {} 1 {} {
                        let take := sub(quiet, skipped)
                        if lt(left, take) { take := left }
                        skipped := add(skipped, take)
                        left := sub(left, take)
                        if or(eq(skipped, quiet), eq(i, end)) { break }
                        let b := byte(0, calldataload(add(inputs.offset, i)))
                        action := shr(5, b)
                        left := add(and(b, 31), 1)
                        i := add(i, 1)
                    }
                }
                if (skipped > 0) {
                    _skip(s, skipped);
                    continue;
                }
            } else if (action == K.NONE) {
                if (left < quiet) quiet = left;
                if (quiet > 0) {
                    _skip(s, quiet);
                    left -= quiet;
                    continue;
                }
            }
            // quiet == 0: a rock moves this tick; or the prospector is ready and acts.
            _advance(s, action);
            left -= 1;
        }
        return _result(s);
    }

    /// @dev The token at byte `i`: its action and how many ticks it covers.
    function _token(bytes calldata inputs, uint256 i) private pure returns (uint256 action, uint256 ticks) {
        uint256 b;
        assembly ("memory-safe") {
            b := byte(0, calldataload(add(inputs.offset, i)))
        }
        return (b >> 5, (b & 31) + 1);
    }

    /// @dev The tick at which the first falling rock next moves (> s.tick); only called while a rock falls.
    function _nextRockMove(State memory s) private pure returns (uint256 next) {
        uint256[] memory rocks = s.rocks;
        uint256 n = s.rockCount;
        // n <= MAX_FALLING = rocks.length / 3: every word read is inside the array.
        assembly ("memory-safe") {
            next := not(0)
            let p := add(rocks, 0x60) // rocks[2]
            for {
                let end := add(p, mul(n, 0x60))
            } lt(p, end) {
                p := add(p, 0x60)
            } {
                let t := mload(p)
                if lt(t, next) { next := t }
            }
        }
    }

    /// @dev Applies `k` quiet ticks: the prospector does not act and no rock moves (the caller stops short of the
    ///      next rock's tick), so exactly what `k` calls of `_advance` would do then. Lives and energy cannot
    ///      change, and they were non-zero at the last check, so only the clock can end the run; ticks past
    ///      MAX_TICKS are never reached.
    function _skip(State memory s, uint256 k) private pure {
        uint256 room = K.MAX_TICKS - s.tick; // s.tick < MAX_TICKS while the run is live
        if (k > room) k = room;
        s.tick += k;
        s.cooldown = s.cooldown > k ? s.cooldown - k : 0;
        if (s.surgeTimer > k) {
            s.surgeTimer -= k;
        } else if (s.surgeTimer > 0) {
            s.surgeTimer = 0;
            s.surge = 1;
        }
        if (s.tick >= K.MAX_TICKS) s.ended = true;
    }

    function _init(bytes32 seed) private pure returns (State memory s) {
        s.k0 = uint256(seed) & SurgeHash.MASK;
        s.k1 = (uint256(seed) >> 32) & SurgeHash.MASK;
        s.x = K.START_X;
        s.y = K.START_Y;
        s.energy = K.START_ENERGY;
        s.lives = K.START_LIVES;
        s.surge = 1;
        s.digest = SurgeHash.mix32(s.k0 ^ s.k1);
        s.over = new bytes(K.WIDTH * K.DEPTH);
        s.rocks = new uint256[](K.MAX_FALLING * 3);
    }

    function _result(State memory s) private pure returns (RunResult memory) {
        // Every field is bounded far below 2^32: gold <= 900 pickups * 120 * 4, ticks <= 3600, energy <= 600.
        return RunResult({
            gold: uint32(s.gold),
            ticks: uint32(s.tick),
            maxDepth: uint32(s.maxDepth),
            lives: uint32(s.lives),
            energy: uint32(s.energy),
            digest: uint32(SurgeHash.fold(s.digest, (s.y << 4) | s.x))
        });
    }

    function _advance(State memory s, uint256 action) private pure {
        // unchecked: tick < MAX_TICKS while live, and every counter below is only decremented when positive.
        unchecked {
            s.tick += 1;
            // 1. The prospector acts, unless still busy with the last action.
            if (s.cooldown > 0) s.cooldown -= 1;
            else if (action != K.NONE) _act(s, action);
            // 2. Loose rocks wobble, fall and land.
            if (s.rockCount > 0) _updateRocks(s);
            // 3. The surge fades when no gold was found for a while.
            if (s.surgeTimer > 0) {
                s.surgeTimer -= 1;
                if (s.surgeTimer == 0) s.surge = 1;
            }
            if (s.y > s.maxDepth) s.maxDepth = s.y;
            // 4. The run ends on no lives, no energy, or no time.
            if (s.lives == 0 || s.energy == 0 || s.tick >= K.MAX_TICKS) s.ended = true;
        }
    }

    function _act(State memory s, uint256 action) private pure {
        uint256 nx = s.x;
        uint256 ny = s.y;
        if (action == K.LEFT) {
            if (nx == 0) return _bump(s);
            nx -= 1;
        } else if (action == K.RIGHT) {
            if (nx == K.WIDTH - 1) return _bump(s);
            nx += 1;
        } else if (action == K.UP) {
            if (ny == 0) return _bump(s);
            ny -= 1;
        } else {
            if (ny == K.DEPTH - 1) return _bump(s);
            ny += 1;
        }
        uint256 idx = (ny << 4) | nx;
        uint256 o = _over(s, idx);
        uint256 cell = o != 0 ? o & 15 : SurgeHash.generateCell(s.k0, s.k1, nx, ny);
        if (cell == K.EMPTY) {
            s.x = nx;
            s.y = ny;
            s.cooldown = K.MOVE_COOLDOWN;
            return;
        }
        if (cell == K.BEDROCK || cell == K.FALLING) return _bump(s);
        if (cell == K.ROCK || cell == K.BOULDER) {
            _spend(s, K.HIT_COST);
            uint256 damage = ((o >> 4) & 7) + 1;
            if (damage >= (cell == K.ROCK ? K.ROCK_HP : K.BOULDER_HP)) {
                _write(s, idx, TOUCHED | K.EMPTY);
                _undermine(s, nx, ny, K.WOBBLE_TICKS - 1);
            } else {
                _write(s, idx, TOUCHED | (damage << 4) | cell);
            }
            s.cooldown = K.HIT_COOLDOWN;
            return;
        }
        // Every other cell is dug out and entered: dirt, gas, treasure, canteen.
        _spend(s, K.DIG_COST);
        _write(s, idx, TOUCHED | K.EMPTY);
        s.x = nx;
        s.y = ny;
        s.cooldown = K.DIG_COOLDOWN;
        if (cell == K.GAS) {
            _hurt(s);
        } else if (cell == K.CANTEEN) {
            uint256 e = s.energy + K.CANTEEN_ENERGY;
            s.energy = e < K.MAX_ENERGY ? e : K.MAX_ENERGY;
        } else if (cell != K.DIRT) {
            _collect(s, cell);
        }
        _undermine(s, nx, ny, K.WOBBLE_TICKS - 1);
    }

    /// @dev Walking into the edge, bedrock or a falling rock: nothing moves, but the bump takes a step's time.
    function _bump(State memory s) private pure {
        s.cooldown = K.MOVE_COOLDOWN;
    }

    function _collect(State memory s, uint256 cell) private pure {
        uint256 value = cell == K.NUGGET
            ? K.NUGGET_VALUE
            : cell == K.ORE ? K.ORE_VALUE : cell == K.BIG_NUGGET ? K.BIG_NUGGET_VALUE : K.GEM_VALUE;
        if (s.surgeTimer > 0 && s.surge < K.MAX_SURGE) s.surge += 1;
        s.gold += value * s.surge;
        s.surgeTimer = K.SURGE_WINDOW;
    }

    function _spend(State memory s, uint256 cost) private pure {
        s.energy = s.energy > cost ? s.energy - cost : 0;
    }

    /// @dev A gas blast or a falling rock: a life lost, the surge gone, and a moment stunned. Two hits can land in
    ///      one tick (gas dug into as a rock lands there): a hit with no life left takes nothing, so lives never go
    ///      below zero, and the end check after the tick ends the run (engine.ts `hurt`, same rule).
    function _hurt(State memory s) private pure {
        if (s.lives > 0) s.lives -= 1;
        s.surge = 1;
        s.surgeTimer = 0;
        s.cooldown = K.STUN_COOLDOWN;
    }

    function _over(State memory s, uint256 idx) private pure returns (uint256 v) {
        bytes memory over = s.over;
        // idx < WIDTH * DEPTH = over.length by construction of every caller (coordinates are bounds-checked).
        assembly ("memory-safe") {
            v := byte(0, mload(add(add(over, 32), idx)))
        }
    }

    function _write(State memory s, uint256 idx, uint256 value) private pure {
        bytes memory over = s.over;
        assembly ("memory-safe") {
            mstore8(add(add(over, 32), idx), value)
        }
        s.digest = SurgeHash.fold(s.digest, ((s.tick << 21) ^ (idx << 8) ^ value) & SurgeHash.MASK);
    }

    function _cellAt(State memory s, uint256 x, uint256 y) private pure returns (uint256) {
        uint256 o = _over(s, (y << 4) | x);
        return o != 0 ? o & 15 : SurgeHash.generateCell(s.k0, s.k1, x, y);
    }

    /// @dev Cell (x, y) just became empty: a boulder resting on it comes loose, if a falling slot is free.
    ///      `wobble` is the ticks until it falls, counted from this tick: a rock loosened by the prospector's act is
    ///      counted down by this tick's rock phase already (WOBBLE_TICKS - 1), one loosened in the rock phase is not.
    function _undermine(State memory s, uint256 x, uint256 y, uint256 wobble) private pure {
        if (y == 0 || s.rockCount >= K.MAX_FALLING) return;
        if (_cellAt(s, x, y - 1) != K.BOULDER) return;
        _write(s, ((y - 1) << 4) | x, TOUCHED | K.FALLING);
        uint256 r = s.rockCount * 3;
        s.rocks[r] = x;
        s.rocks[r + 1] = y - 1;
        s.rocks[r + 2] = s.tick + wobble;
        s.rockCount += 1;
    }

    /// @dev Moves the rocks that were falling at the start of the tick, in slot order; landed or shattered rocks
    ///      are compacted out after the loop, so a slot freed this tick is reused only from the next.
    function _updateRocks(State memory s) private pure {
        uint256 n = s.rockCount;
        uint256[] memory rocks = s.rocks;
        uint256 removed;
        for (uint256 i; i < n; ++i) {
            uint256 r = i * 3;
            if (rocks[r + 2] != s.tick) continue;
            uint256 x = rocks[r];
            uint256 y = rocks[r + 1];
            uint256 idx = (y << 4) | x;
            if (x == s.x && y + 1 == s.y) {
                // The rock lands on the prospector and shatters.
                _hurt(s);
                _write(s, idx, TOUCHED | K.EMPTY);
                rocks[r + 1] = REMOVED;
                removed += 1;
                _undermine(s, x, y, K.WOBBLE_TICKS);
            } else if (_cellAt(s, x, y + 1) == K.EMPTY) {
                _write(s, idx, TOUCHED | K.EMPTY);
                _write(s, idx + 16, TOUCHED | K.FALLING);
                rocks[r + 1] = y + 1;
                rocks[r + 2] = s.tick + K.FALL_TICKS;
                _undermine(s, x, y, K.WOBBLE_TICKS);
            } else {
                _write(s, idx, TOUCHED | K.BOULDER);
                rocks[r + 1] = REMOVED;
                removed += 1;
            }
        }
        if (removed == 0) return;
        uint256 w;
        uint256 count = s.rockCount;
        for (uint256 i; i < count; ++i) {
            uint256 r = i * 3;
            if (rocks[r + 1] == REMOVED) continue;
            if (w != i) {
                rocks[w * 3] = rocks[r];
                rocks[w * 3 + 1] = rocks[r + 1];
                rocks[w * 3 + 2] = rocks[r + 2];
            }
            w += 1;
        }
        s.rockCount = w;
    }
}

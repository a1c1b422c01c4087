// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {InputCodec} from "../../contracts/libraries/InputCodec.sol";
import {InputScanHarness} from "../../contracts/mocks/InputScanHarness.sol";
import {SurgeRules} from "../../contracts/libraries/SurgeRules.sol";
import {SurgeReplayer} from "../../contracts/game/SurgeReplayer.sol";

/// @notice SurgeRules against the shared vectors (the same file the TypeScript tests check), plus fuzz tests of
///         the codec and of the replay's bounds.
contract SurgeRulesTest is Test {
    SurgeReplayer internal replayer;
    /// @dev InputScan, the check `submitRun` makes (its agreement with InputCodec: settlement/InputScan.t.sol).
    InputScanHarness internal scanner;
    string internal json;

    function setUp() public {
        replayer = new SurgeReplayer();
        scanner = new InputScanHarness();
        json = vm.readFile("test/vectors/sim-vectors.json");
    }

    function _key(string memory list, uint256 i, string memory field) internal pure returns (string memory) {
        return string.concat(".", list, "[", vm.toString(i), "].", field);
    }

    function test_replay_matchesEveryAcceptedVector() public view {
        uint256 n = vm.parseJsonUint(json, ".acceptCount");
        assertGt(n, 30);
        for (uint256 i; i < n; ++i) {
            bytes32 seed = vm.parseJsonBytes32(json, _key("accept", i, "seed"));
            bytes memory inputs = vm.parseJsonBytes(json, _key("accept", i, "inputs"));
            string memory name = vm.parseJsonString(json, _key("accept", i, "name"));
            SurgeRules.RunResult memory r = replayer.replay(seed, inputs);
            assertEq(r.gold, vm.parseJsonUint(json, _key("accept", i, "gold")), name);
            assertEq(r.ticks, vm.parseJsonUint(json, _key("accept", i, "ticks")), name);
            assertEq(r.maxDepth, vm.parseJsonUint(json, _key("accept", i, "maxDepth")), name);
            assertEq(r.lives, vm.parseJsonUint(json, _key("accept", i, "lives")), name);
            assertEq(r.energy, vm.parseJsonUint(json, _key("accept", i, "energy")), name);
            assertEq(r.digest, vm.parseJsonUint(json, _key("accept", i, "digest")), name);
        }
    }

    function test_replay_rejectsEveryMalformedVector() public view {
        uint256 n = vm.parseJsonUint(json, ".rejectCount");
        assertGt(n, 20);
        for (uint256 i; i < n; ++i) {
            bytes32 seed = vm.parseJsonBytes32(json, _key("reject", i, "seed"));
            bytes memory inputs = vm.parseJsonBytes(json, _key("reject", i, "inputs"));
            string memory code = vm.parseJsonString(json, _key("reject", i, "error"));
            string memory name = vm.parseJsonString(json, _key("reject", i, "name"));
            try replayer.replay(seed, inputs) {
                revert(string.concat("accepted malformed vector: ", name));
            } catch (bytes memory reason) {
                assertEq(bytes4(reason), _selectorOf(code), name);
            }
        }
    }

    function _selectorOf(string memory code) internal pure returns (bytes4) {
        bytes32 h = keccak256(bytes(code));
        if (h == keccak256("HEADER_TRUNCATED")) return InputCodec.InputHeaderTruncated.selector;
        if (h == keccak256("UNSUPPORTED_VERSION")) return InputCodec.UnsupportedInputVersion.selector;
        if (h == keccak256("TOO_MANY_TICKS")) return InputCodec.TooManyTicks.selector;
        if (h == keccak256("TRAILING_BYTES")) return InputCodec.TrailingInputBytes.selector;
        if (h == keccak256("UNKNOWN_ACTION")) return InputCodec.UnknownAction.selector;
        if (h == keccak256("RUN_OVERRUN")) return InputCodec.InputRunOverrun.selector;
        if (h == keccak256("SPLIT_TOKEN")) return InputCodec.InputTokenSplit.selector;
        if (h == keccak256("TRUNCATED")) return InputCodec.InputsTruncated.selector;
        revert(string.concat("unknown error code in vectors: ", code));
    }

    /// @dev Any byte string either replays or fails with one of the codec's errors: never a panic, never out of gas.
    function testFuzz_replay_rejectsGarbageOnlyWithCodecErrors(bytes32 seed, bytes calldata inputs) public view {
        try replayer.replay{gas: 16_000_000}(seed, inputs) returns (SurgeRules.RunResult memory r) {
            assertLe(r.ticks, 3600);
        } catch (bytes memory reason) {
            bytes4 sel = bytes4(reason);
            assertTrue(
                sel == InputCodec.InputHeaderTruncated.selector || sel == InputCodec.UnsupportedInputVersion.selector
                    || sel == InputCodec.TooManyTicks.selector || sel == InputCodec.TrailingInputBytes.selector
                    || sel == InputCodec.UnknownAction.selector || sel == InputCodec.InputRunOverrun.selector
                    || sel == InputCodec.InputsTruncated.selector || sel == InputCodec.InputTokenSplit.selector,
                "only codec errors"
            );
        }
    }

    /// @dev Well-formed inputs built from fuzzed tokens are accepted, and the result respects every bound.
    function testFuzz_replay_validInputsStayInBounds(bytes32 seed, uint8[] calldata tokens) public view {
        uint256 n = tokens.length > 150 ? 150 : tokens.length;
        bytes memory body = new bytes(n);
        uint256 ticks;
        uint256 prev = 0x100;
        for (uint256 i; i < n; ++i) {
            uint256 b = _canonicalToken(prev, ((uint256(tokens[i] >> 5) % 5) << 5) | (tokens[i] & 31));
            body[i] = bytes1(uint8(b));
            ticks += (b & 31) + 1;
            prev = b;
        }
        bytes memory inputs = bytes.concat(bytes1(0x01), bytes2(uint16(ticks)), body);
        SurgeRules.RunResult memory r = replayer.replay(seed, inputs);
        assertLe(r.ticks, ticks);
        assertLe(r.lives, 3);
        assertLe(r.energy, 600);
        assertLe(r.maxDepth, 319);
        // The same run replays to the same result.
        SurgeRules.RunResult memory again = replayer.replay(seed, inputs);
        assertEq(keccak256(abi.encode(r)), keccak256(abi.encode(again)));
    }

    /// @dev A token that would repeat the action of a token with room left takes the next action instead.
    function _canonicalToken(uint256 prev, uint256 b) internal pure returns (uint256) {
        if (b >> 5 == prev >> 5 && prev & 31 != 31) b = ((((b >> 5) + 1) % 5) << 5) | (b & 31);
        return b;
    }

    /// @dev Whatever `submitRun` accepts (InputScan's yes), the on-chain replay finishes: no panic (an underflow of
    ///      lives when two hits land in one tick was one), no revert, lives never above the start or below zero.
    ///      Tokens are short and mostly digging, so hazards, falling rocks and same-tick hits come often.
    function testFuzz_replay_acceptedInputsNeverPanic(bytes32 seed, bytes calldata moves) public view {
        uint256 n = moves.length > 600 ? 600 : moves.length;
        bytes memory body = new bytes(n);
        uint256 ticks;
        uint256 prev = 0x100;
        for (uint256 i; i < n && ticks + 32 <= 3600; ++i) {
            uint256 m = uint8(moves[i]);
            // Actions: down 3/8, left 2/8, right 2/8, idle 1/8; repeats 1..8 ticks.
            uint256 pick = m >> 5;
            uint256 action = pick < 3 ? 4 : pick < 5 ? 1 : pick < 7 ? 2 : 0;
            uint256 b = _canonicalToken(prev, (action << 5) | (m & 7));
            body[i] = bytes1(uint8(b));
            ticks += (b & 31) + 1;
            prev = b;
        }
        bytes memory inputs = bytes.concat(bytes1(0x01), bytes2(uint16(ticks)), body);
        // Trailing zero bytes of `body` (when the tick budget stopped the loop) make the inputs invalid: cut them.
        uint256 used;
        for (uint256 covered; covered < ticks; ++used) covered += (uint8(body[used]) & 31) + 1;
        assembly ("memory-safe") {
            mstore(inputs, add(3, used))
        }
        assertTrue(scanner.isValid(inputs), "submitRun would accept these inputs");
        try replayer.replay{gas: 16_000_000}(seed, inputs) returns (SurgeRules.RunResult memory r) {
            assertLe(r.lives, 3);
            assertLe(r.ticks, ticks);
        } catch (bytes memory reason) {
            revert(string.concat("replay of accepted inputs reverted: ", vm.toString(reason)));
        }
    }

    function test_validateInputs_rejectsSplitTokens() public {
        // Idle 2 then idle 2: one token of 4 is the only encoding.
        vm.expectRevert(abi.encodeWithSelector(InputCodec.InputTokenSplit.selector, uint256(4)));
        replayer.validateInputs(hex"0100040101");
        // A split is reported before the overrun it also causes.
        vm.expectRevert(abi.encodeWithSelector(InputCodec.InputTokenSplit.selector, uint256(4)));
        replayer.validateInputs(hex"0100030101");
        // After a full token (32 ticks) the same action may go on.
        assertEq(replayer.validateInputs(hex"0100211f00"), 33);
        assertTrue(scanner.isValid(hex"0100211f00"));
        assertFalse(scanner.isValid(hex"0100040101"));
        // A different action may follow a short token.
        assertEq(replayer.validateInputs(hex"0100040121"), 4);
    }

    function testFuzz_validateInputs_declaredTicksAboveMaxRevert(uint16 ticks) public {
        vm.assume(ticks > 3600);
        vm.expectRevert(abi.encodeWithSelector(InputCodec.TooManyTicks.selector, uint256(ticks), uint256(3600)));
        replayer.validateInputs(bytes.concat(bytes1(0x01), bytes2(ticks)));
    }

    function test_validateInputs_reportsTheFaultyByte() public {
        vm.expectRevert(abi.encodeWithSelector(InputCodec.UnknownAction.selector, uint256(4), uint256(6)));
        replayer.validateInputs(hex"01000301c0");
        vm.expectRevert(abi.encodeWithSelector(InputCodec.InputRunOverrun.selector, uint256(3), uint256(6), 5));
        replayer.validateInputs(hex"01000505");
        vm.expectRevert(abi.encodeWithSelector(InputCodec.InputsTruncated.selector, uint256(5), 10));
        replayer.validateInputs(hex"01000a04");
        assertEq(replayer.validateInputs(hex"01000a09"), 10);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {InputScanHarness} from "../../../contracts/mocks/InputScanHarness.sol";

/// @dev InputScan (the word-at-a-time check RunRegistry uses) accepts exactly what InputCodec accepts.
contract InputScanTest is Test {
    InputScanHarness private harness;

    function setUp() public {
        harness = new InputScanHarness();
    }

    /// Random bytes behind a valid header, with a tick count that matches the tokens about half the time.
    function testFuzz_isValid_matchesCodec(bytes memory body, uint16 declared, bool matchTicks, uint8 version) public {
        vm.assume(body.length <= 3_700);
        uint256 covered;
        for (uint256 i; i < body.length; ++i) covered += (uint8(body[i]) & 31) + 1;
        uint256 ticks = matchTicks ? covered : declared;
        if (ticks > 0xffff) ticks = declared;
        bytes memory inputs = abi.encodePacked(version % 4 == 0 ? 2 : 1, uint16(ticks), body);
        assertEq(harness.isValid(inputs), harness.codecAccepts(inputs));
    }

    /// Well-formed inputs with only valid actions: accepted by both whenever the header allows them.
    function testFuzz_isValid_validActions(uint8[] memory tokens) public view {
        vm.assume(tokens.length <= 3_600);
        bytes memory body = new bytes(tokens.length);
        uint256 covered;
        uint256 prev = 0x100; // no token before the first
        for (uint256 i; i < tokens.length; ++i) {
            uint256 b = ((uint256(tokens[i]) % 5) << 5) | (tokens[i] & 31);
            // Canonical form: a token repeats the previous token's action only after a full (32-tick) token.
            if (b >> 5 == prev >> 5 && prev & 31 != 31) b = ((((b >> 5) + 1) % 5) << 5) | (b & 31);
            body[i] = bytes1(uint8(b));
            covered += (b & 31) + 1;
            prev = b;
        }
        bytes memory inputs = abi.encodePacked(uint8(1), uint16(covered), body);
        assertEq(harness.isValid(inputs), covered <= 3_600);
        assertEq(harness.isValid(inputs), harness.codecAccepts(inputs));
    }

    function test_isValid_edges() public view {
        assertTrue(harness.isValid(hex"010000"));
        assertFalse(harness.isValid(hex"0100"));
        assertFalse(harness.isValid(hex"01000000"));
        assertTrue(harness.isValid(hex"0100019f") == false);
        assertTrue(harness.isValid(hex"01000180"));
        assertFalse(harness.isValid(hex"010001a0"));
        assertTrue(harness.isValid(hex"0100201f"));
    }
}

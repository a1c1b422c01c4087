// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {InputCodec} from "../libraries/InputCodec.sol";
import {InputScan} from "../libraries/InputScan.sol";

/// @title InputScanHarness
/// @notice Test-only: exposes `InputScan.isValid` and whether `InputCodec.validate` accepts the same bytes, so tests
/// can hold the fast scan equal to the reference codec.
contract InputScanHarness {
    function isValid(bytes calldata inputs) external pure returns (bool) {
        return InputScan.isValid(inputs);
    }

    function codecAccepts(bytes calldata inputs) external view returns (bool) {
        try this.validate(inputs) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev The token-by-token rules, not `validate` (which asks InputScan first and would agree with it by design).
    function validate(bytes calldata inputs) external pure returns (uint256) {
        return InputCodec.validateStrict(inputs);
    }
}

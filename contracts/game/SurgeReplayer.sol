// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISurgeReplayer} from "../interfaces/ISurgeReplayer.sol";
import {InputCodec} from "../libraries/InputCodec.sol";
import {SurgeRules} from "../libraries/SurgeRules.sol";

/// @title SurgeReplayer
/// @notice Exposes `SurgeRules` as an external, stateless contract.
contract SurgeReplayer is ISurgeReplayer {
    /// @inheritdoc ISurgeReplayer
    function replay(bytes32 seed, bytes calldata inputs) external pure returns (SurgeRules.RunResult memory) {
        return SurgeRules.replay(seed, inputs);
    }

    /// @inheritdoc ISurgeReplayer
    function validateInputs(bytes calldata inputs) external pure returns (uint256 ticks) {
        return InputCodec.validate(inputs);
    }
}

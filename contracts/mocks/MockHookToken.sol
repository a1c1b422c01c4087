// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice Implemented by contracts that want to hear about tokens they receive from {MockHookToken}.
interface ITokenReceiverHook {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @title MockHookToken
/// @notice Test-only ERC-20 that calls `onTokenReceived` on every contract it is sent to (like ERC-777 or ERC-1363
/// hooks), to test that the registries cannot be re-entered through a token transfer. Anyone may mint.
contract MockHookToken is ERC20 {
    constructor() ERC20("Hooked share", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        // Like ERC-777's optional hook: contracts that do not implement it still receive.
        if (to.code.length != 0 && from != address(0)) {
            try ITokenReceiverHook(to).onTokenReceived(from, value) {} catch {}
        }
    }
}

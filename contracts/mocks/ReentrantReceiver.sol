// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ITokenReceiverHook} from "./MockHookToken.sol";

/// @title ReentrantReceiver
/// @notice Test-only: a contract account that runs arbitrary calls, and when it receives a hooked token calls back
/// into `target` with `reentryData` once, recording whether that re-entry succeeded (it never reverts the transfer).
contract ReentrantReceiver is ITokenReceiverHook {
    address public target;
    bytes public reentryData;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryError;

    error CallFailed(bytes reason);

    function setReentry(address target_, bytes calldata data) external {
        target = target_;
        reentryData = data;
        reentryAttempted = false;
    }

    function execute(address to, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call{value: msg.value}(data);
        if (!ok) revert CallFailed(ret);
        return ret;
    }

    function onTokenReceived(address, uint256) external {
        if (target == address(0) || reentryAttempted) return;
        reentryAttempted = true;
        (bool ok, bytes memory ret) = target.call(reentryData);
        reentrySucceeded = ok;
        reentryError = ret;
    }
}

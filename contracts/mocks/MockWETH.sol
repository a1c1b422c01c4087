// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title WETH9 for local chains and tests
/// @notice Behaves like mainnet WETH9 where SurgeVault can tell: `deposit` wraps `msg.value`, `withdraw` unwraps with
/// a 2,300-gas `transfer` (so a receiving contract must stay that cheap), plain ETH sent to it is wrapped, and an
/// allowance of `type(uint256).max` is never decreased.
contract MockWETH is ERC20 {
    /// @notice `to` wrapped `amount` ETH.
    event Deposit(address indexed to, uint256 amount);
    /// @notice `from` unwrapped `amount` WETH.
    event Withdrawal(address indexed from, uint256 amount);

    constructor() ERC20("Wrapped Ether", "WETH") {}

    receive() external payable {
        deposit();
    }

    /// @notice Wraps `msg.value` ETH into WETH for the caller.
    function deposit() public payable {
        _mint(msg.sender, msg.value);
        emit Deposit(msg.sender, msg.value);
    }

    /// @notice Unwraps `amount` WETH and sends the caller as much ETH, with a 2,300-gas stipend like WETH9.
    function withdraw(uint256 amount) external {
        _burn(msg.sender, amount);
        emit Withdrawal(msg.sender, amount);
        payable(msg.sender).transfer(amount);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IGoldToken} from "../interfaces/IGoldToken.sol";

/// @title GoldToken (GOLD)
/// @notice The reward token. Only `minter` (the RewardSettlement that deploys it) mints, and never faster than the
/// emission schedule: the supply can never exceed `epochCap` times the number of epochs that have ended.
/// @dev Two limits stack. RewardSettlement keeps each epoch's mints within that epoch's emission (at most
/// `epochCap`; pro rata when verified gold exceeds it). This contract holds the hard global bound on its own, so
/// even a faulty minter cannot mint more than the schedule. Permit signatures are EIP-712 over the chain id and this
/// contract's address, so they cannot be replayed on another chain or deployment.
contract GoldToken is ERC20, ERC20Permit, IGoldToken {
    address private immutable _minter;
    uint256 private immutable _epochCap;
    uint256 private immutable _genesisBlock;
    uint256 private immutable _epochBlocks;

    /// @param minter_ the only address that may mint
    /// @param epochCap_ most GOLD one epoch mints
    /// @param genesisBlock_ first block of epoch 0 (as in the RunRegistry)
    /// @param epochBlocks_ blocks per epoch (as in the RunRegistry)
    constructor(
        address minter_,
        uint256 epochCap_,
        uint256 genesisBlock_,
        uint256 epochBlocks_
    ) ERC20("Surge Gold", "GOLD") ERC20Permit("Surge Gold") {
        if (epochCap_ == 0 || epochBlocks_ == 0) revert InvalidSchedule();
        _minter = minter_;
        _epochCap = epochCap_;
        _genesisBlock = genesisBlock_;
        _epochBlocks = epochBlocks_;
    }

    /// @inheritdoc IGoldToken
    function mint(address to, uint256 amount) external {
        if (msg.sender != _minter) revert NotMinter(msg.sender);
        _mint(to, amount);
        uint256 supply = totalSupply();
        uint256 allowed = emissionAllowance();
        if (supply > allowed) revert EmissionScheduleExceeded(supply, allowed);
    }

    /// @inheritdoc IGoldToken
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc IGoldToken
    function epochCap() external view returns (uint256) {
        return _epochCap;
    }

    /// @inheritdoc IGoldToken
    function emissionAllowance() public view returns (uint256) {
        if (block.number < _genesisBlock) return 0;
        return ((block.number - _genesisBlock) / _epochBlocks) * _epochCap;
    }
}

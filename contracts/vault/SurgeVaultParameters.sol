// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ISurgeVault} from "../interfaces/ISurgeVault.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {VaultParametersLib} from "./VaultParametersLib.sol";

/// @title SurgeVault's roles, parameters and pause
/// @notice Three roles, each able to do little:
/// - DEFAULT_ADMIN_ROLE sets parameters within hard bounds (see {VaultParametersLib}), grants roles, lifts pauses;
/// - GUARDIAN_ROLE can only pause (deposits, withdrawals or both), so a fast key can stop the vault but not run it;
/// - ORACLE_ROLE can only trigger a report of the strategy's on-chain value and confirm (bound) its gain, rate
///   limited; it can delay or withhold a gain, never book a loss the strategy does not show (see `report`).
/// No role can move users' assets: the strategy is fixed at deployment, there is no sweep and no upgrade, fees are
/// capped, and a request's claimable block is fixed when it is made.
/// @dev The admin should be a timelock or a multisig; the guardian a fast multisig or a monitored key.
abstract contract SurgeVaultParameters is AccessControl, ISurgeVault {
    using VaultParametersLib for VaultParametersLib.Store;

    /// @notice May pause deposits and withdrawals.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice May report: book the strategy's on-chain value, confirming at most a given gain.
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");

    uint256 internal constant BPS = 10_000;

    /// @dev The strategy never changes: an admin who could swap it could route users' assets anywhere.
    IRestakingStrategy internal immutable _strategy;

    VaultParametersLib.Store internal _params;

    constructor(IRestakingStrategy strategy_, address admin, address guardian, address oracle, Parameters memory p) {
        if (address(strategy_) == address(0) || admin == address(0)) revert ZeroAddress();
        if (guardian == address(0) || oracle == address(0)) revert ZeroAddress();
        _strategy = strategy_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GUARDIAN_ROLE, guardian);
        _grantRole(ORACLE_ROLE, oracle);
        _params.set(p);
    }

    /// @inheritdoc ISurgeVault
    function pause(bool deposits, bool withdrawals) external onlyRole(GUARDIAN_ROLE) {
        _params.setPaused(deposits, withdrawals, true);
    }

    /// @inheritdoc ISurgeVault
    function unpause(bool deposits, bool withdrawals) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _params.setPaused(deposits, withdrawals, false);
    }

    /// @inheritdoc ISurgeVault
    function setParameters(Parameters calldata parameters_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _params.set(parameters_);
    }

    /// @inheritdoc ISurgeVault
    function strategy() external view returns (IRestakingStrategy) {
        return _strategy;
    }

    /// @inheritdoc ISurgeVault
    function paused() external view returns (bool depositsPaused, bool withdrawalsPaused) {
        return (_params.config.depositsPaused, _params.config.withdrawalsPaused);
    }

    /// @inheritdoc ISurgeVault
    function lastReportAt() external view returns (uint256) {
        return _params.reports.lastReportAt;
    }

    /// @inheritdoc ISurgeVault
    function parameters() external view returns (Parameters memory) {
        return _params.parameters();
    }
}

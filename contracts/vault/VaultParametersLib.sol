// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVaultTypes, ISurgeVaultErrors, ISurgeVaultEvents} from "../interfaces/ISurgeVault.sol";
import {VaultLiquidityLib} from "./VaultLiquidityLib.sol";

/// @title SurgeVault's bounded parameters
/// @notice Every parameter of the vault is validated here against hard bounds that no role can lift. An external
/// library (linked at deployment, run by DELEGATECALL on the vault's storage) so that the cold code does not count
/// against the vault's 24 KB size limit; events and errors are the vault's.
library VaultParametersLib {
    using SafeCast for uint256;

    uint256 internal constant BPS = 10_000;
    /// @dev Hard cap of the protocol fee on rewards (20%).
    uint256 internal constant MAX_PROTOCOL_FEE_BPS = 2_000;
    /// @dev Hard cap of the instant-exit fee (5%).
    uint256 internal constant MAX_INSTANT_EXIT_FEE_BPS = 500;
    /// @dev Hard cap of the withdrawal delay (30 days of 12-second blocks): funds are never locked longer.
    uint256 internal constant MAX_WITHDRAWAL_DELAY_BLOCKS = 216_000;
    /// @dev Bounds of the minimum time between reports.
    uint256 internal constant MIN_REPORT_INTERVAL = 1 hours;
    uint256 internal constant MAX_REPORT_INTERVAL = 7 days;
    /// @dev Hard caps of the per-report change of total assets.
    uint256 internal constant MAX_REPORT_INCREASE_BPS = 500;
    uint256 internal constant MAX_REPORT_DECREASE_BPS = 5_000;

    /// @dev Read by every deposit and exit, so packed into one slot. Invariants: bufferTargetBps <= bufferMaxBps
    /// <= BPS; withdrawalDelayBlocks in [strategy delay, MAX_WITHDRAWAL_DELAY_BLOCKS]; instantExitFeeBps in
    /// [Reports.maxIncreaseBps, MAX_INSTANT_EXIT_FEE_BPS].
    struct Config {
        uint128 depositCap;
        uint16 bufferTargetBps;
        uint16 bufferMaxBps;
        uint16 instantExitFeeBps;
        uint32 withdrawalDelayBlocks;
        bool depositsPaused;
        bool withdrawalsPaused;
    }

    /// @dev Read by reports. Invariants: minReportInterval in [MIN_REPORT_INTERVAL, MAX_REPORT_INTERVAL]; each bps
    /// field at most its MAX_ constant; maxIncreaseBps <= Config.instantExitFeeBps.
    struct Reports {
        uint64 lastReportAt;
        uint32 minReportInterval;
        uint16 maxIncreaseBps;
        uint16 maxDecreaseBps;
        uint16 protocolFeeBps;
    }

    struct Store {
        Config config;
        Reports reports;
        uint256 instantExitDailyLimit;
        address treasury;
    }

    /// @notice Validates every parameter of `p` against its hard bound, stores them and emits `ParametersUpdated`.
    /// @param strategyDelay The strategy's withdrawal delay, the floor of the vault's.
    function set(Store storage s, ISurgeVaultTypes.Parameters calldata p, uint256 strategyDelay) external {
        if (p.treasury == address(0)) revert ISurgeVaultErrors.ZeroAddress();
        _checkRange("depositCap", p.depositCap, 0, type(uint128).max);
        _checkRange("bufferMaxBps", p.bufferMaxBps, 0, BPS);
        _checkRange("bufferTargetBps", p.bufferTargetBps, 0, p.bufferMaxBps);
        _checkRange("protocolFeeBps", p.protocolFeeBps, 0, MAX_PROTOCOL_FEE_BPS);
        _checkRange("withdrawalDelayBlocks", p.withdrawalDelayBlocks, strategyDelay, MAX_WITHDRAWAL_DELAY_BLOCKS);
        _checkRange("minReportInterval", p.minReportInterval, MIN_REPORT_INTERVAL, MAX_REPORT_INTERVAL);
        _checkRange("maxReportIncreaseBps", p.maxReportIncreaseBps, 0, MAX_REPORT_INCREASE_BPS);
        _checkRange("maxReportDecreaseBps", p.maxReportDecreaseBps, 0, MAX_REPORT_DECREASE_BPS);
        // The instant-exit fee is at least the largest rise of the rate that one report allows: otherwise depositing
        // just before a report and exiting instantly just after it would skim the rewards of those who earned them.
        _checkRange("instantExitFeeBps", p.instantExitFeeBps, p.maxReportIncreaseBps, MAX_INSTANT_EXIT_FEE_BPS);

        // Every narrowing below fits: each value was checked against a bound that fits its type.
        Config storage c = s.config;
        c.depositCap = uint128(p.depositCap);
        c.bufferTargetBps = uint16(p.bufferTargetBps);
        c.bufferMaxBps = uint16(p.bufferMaxBps);
        c.instantExitFeeBps = uint16(p.instantExitFeeBps);
        c.withdrawalDelayBlocks = uint32(p.withdrawalDelayBlocks);
        Reports storage r = s.reports;
        r.minReportInterval = uint32(p.minReportInterval);
        r.maxIncreaseBps = uint16(p.maxReportIncreaseBps);
        r.maxDecreaseBps = uint16(p.maxReportDecreaseBps);
        r.protocolFeeBps = uint16(p.protocolFeeBps);
        s.instantExitDailyLimit = p.instantExitDailyLimit;
        s.treasury = p.treasury;
        emit ISurgeVaultEvents.ParametersUpdated(p);
    }

    /// @notice Sets the selected pause flags to `value` and emits `PauseUpdated` with both flags.
    function setPaused(Store storage s, bool deposits, bool withdrawals, bool value) external {
        Config storage c = s.config;
        if (deposits) c.depositsPaused = value;
        if (withdrawals) c.withdrawalsPaused = value;
        emit ISurgeVaultEvents.PauseUpdated(msg.sender, c.depositsPaused, c.withdrawalsPaused);
    }

    /// @notice Applies the oracle's report that the vault holds `reported` assets in `strategy`: checks it against
    /// the strategy's own view, the minimum interval and the per-report bounds, sets the strategy assets and the
    /// report time, and returns total assets before and after and the protocol fee on the gain (0 on a loss).
    /// A loss beyond the bound is applied at once when `reported` equals the strategy's own view: a loss the
    /// chain confirms must not wait while holders exit at the old rate.
    function applyReport(
        Store storage s,
        VaultLiquidityLib.Holdings storage holdings,
        IRestakingStrategy strategy,
        uint256 reported
    ) external returns (uint256 previous, uint256 current, uint256 feeAssets) {
        Reports memory r = s.reports;
        uint256 nextReportAt = uint256(r.lastReportAt) + r.minReportInterval;
        if (r.lastReportAt != 0 && block.timestamp < nextReportAt) {
            revert ISurgeVaultErrors.ReportTooEarly(nextReportAt);
        }
        uint256 strategyView = strategy.totalAssetsOf(address(this));
        if (reported > strategyView) revert ISurgeVaultErrors.ReportAboveStrategyAssets(reported, strategyView);
        VaultLiquidityLib.Holdings memory h = holdings;
        previous = uint256(h.buffer) + h.strategy;
        current = uint256(h.buffer) + reported;
        if (current > previous) {
            uint256 gain = current - previous;
            if (gain * BPS > previous * r.maxIncreaseBps) {
                revert ISurgeVaultErrors.ReportChangeTooLarge(previous, current, r.maxIncreaseBps);
            }
            feeAssets = (gain * r.protocolFeeBps) / BPS;
        } else if ((previous - current) * BPS > previous * r.maxDecreaseBps && reported != strategyView) {
            revert ISurgeVaultErrors.ReportChangeTooLarge(previous, current, r.maxDecreaseBps);
        }
        holdings.strategy = reported.toUint128();
        s.reports.lastReportAt = uint64(block.timestamp);
    }

    /// @notice The parameters as `ISurgeVault.parameters` shows them.
    function parameters(Store storage s) external view returns (ISurgeVaultTypes.Parameters memory p) {
        Config memory c = s.config;
        Reports memory r = s.reports;
        p.treasury = s.treasury;
        p.depositCap = c.depositCap;
        p.bufferTargetBps = c.bufferTargetBps;
        p.bufferMaxBps = c.bufferMaxBps;
        p.protocolFeeBps = r.protocolFeeBps;
        p.instantExitFeeBps = c.instantExitFeeBps;
        p.instantExitDailyLimit = s.instantExitDailyLimit;
        p.withdrawalDelayBlocks = c.withdrawalDelayBlocks;
        p.minReportInterval = r.minReportInterval;
        p.maxReportIncreaseBps = r.maxIncreaseBps;
        p.maxReportDecreaseBps = r.maxDecreaseBps;
    }

    function _checkRange(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ISurgeVaultErrors.ParameterOutOfRange(name, value, min, max);
    }
}

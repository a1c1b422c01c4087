// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVaultTypes, ISurgeVaultErrors, ISurgeVaultEvents} from "../interfaces/ISurgeVault.sol";
import {VaultLiquidityLib} from "./VaultLiquidityLib.sol";

/// @title SurgeVault's bounded parameters
/// @notice Every parameter of the vault is validated here against hard bounds that no role can lift. An external
/// library (linked at deployment, run by DELEGATECALL on the vault's storage) so that the cold code does not count
/// against the vault's 24 KB size limit; events and errors are the vault's.
library VaultParametersLib {
    using Math for uint256;
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
    /// @dev Hard cap of the per-report rise of total assets (a loss is never bounded: it is what the chain shows).
    uint256 internal constant MAX_REPORT_INCREASE_BPS = 500;
    /// @dev Scale of `Store.highWaterRate`.
    uint256 internal constant RATE_SCALE = 1e27;

    /// @dev Read by every deposit and exit, so packed into one slot. Invariants: bufferTargetBps <= bufferMaxBps
    /// <= BPS; withdrawalDelayBlocks in [1, MAX_WITHDRAWAL_DELAY_BLOCKS] (the strategy's delay is in seconds: a request
    /// whose blocks have passed before its unstake landed reads AwaitingLiquidity); instantExitFeeBps in
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
        uint16 protocolFeeBps;
    }

    /// @dev Invariants: treasury is neither zero nor the vault; highWaterRate is the highest rate
    /// ((total assets + 1) * RATE_SCALE / (supply + virtual shares)) that a report left, 0 before the first.
    struct Store {
        Config config;
        Reports reports;
        uint256 instantExitDailyLimit;
        address treasury;
        uint256 highWaterRate;
    }

    /// @notice Validates every parameter of `p` against its hard bound, stores them and emits `ParametersUpdated`.
    function set(Store storage s, ISurgeVaultTypes.Parameters calldata p) external {
        if (p.treasury == address(0)) revert ISurgeVaultErrors.ZeroAddress();
        // Fee shares minted to the vault would sit among the escrowed shares of the queue, owned by nobody.
        if (p.treasury == address(this)) revert ISurgeVaultErrors.InvalidTreasury(p.treasury);
        _checkRange("depositCap", p.depositCap, 0, type(uint128).max);
        _checkRange("bufferMaxBps", p.bufferMaxBps, 0, BPS);
        _checkRange("bufferTargetBps", p.bufferTargetBps, 0, p.bufferMaxBps);
        _checkRange("protocolFeeBps", p.protocolFeeBps, 0, MAX_PROTOCOL_FEE_BPS);
        _checkRange("withdrawalDelayBlocks", p.withdrawalDelayBlocks, 1, MAX_WITHDRAWAL_DELAY_BLOCKS);
        _checkRange("minReportInterval", p.minReportInterval, MIN_REPORT_INTERVAL, MAX_REPORT_INTERVAL);
        _checkRange("maxReportIncreaseBps", p.maxReportIncreaseBps, 0, MAX_REPORT_INCREASE_BPS);
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

    /// @notice Applies the oracle's report: books the strategy position at `strategy`'s on-chain view of the vault,
    /// read now. A loss (view below the booked position) is booked in full; a gain is capped at `maxGain` (what the
    /// oracle confirms) and at `maxIncreaseBps` of total assets. Everything is relative to the state at execution,
    /// so deposits that route, or unstakes that complete, between the oracle's look and this call change nothing.
    /// The protocol fee is charged on the part of the gain that lifts the rate above the high-water mark. The rest of
    /// the gain is locked (`VaultLiquidityLib.lock`): the rate does not move at the report, it rises linearly over the
    /// next `minReportInterval`, so that depositing just before a report and leaving just after it earns only the
    /// slice that vested in between. A loss consumes the locked gain first.
    /// Emits `ProtocolFeeMinted` (if any), `GainLocked` (if any) and `ExchangeRateReported`; the vault mints the fee
    /// shares.
    /// @param supply The total supply before the fee shares; `virtualShares` the vault's virtual shares.
    /// @return feeShares Shares worth the protocol fee once minted, for the vault to mint to the treasury.
    function applyReport(
        Store storage s,
        VaultLiquidityLib.Store storage liquidity,
        IRestakingStrategy strategy,
        uint256 maxGain,
        uint256 supply,
        uint256 virtualShares
    ) external returns (uint256 feeShares) {
        Reports memory r = s.reports;
        uint256 nextReportAt = uint256(r.lastReportAt) + r.minReportInterval;
        if (r.lastReportAt != 0 && block.timestamp < nextReportAt) {
            revert ISurgeVaultErrors.ReportTooEarly(nextReportAt);
        }
        VaultLiquidityLib.Holdings memory h = liquidity.holdings;
        uint256 previous = uint256(h.buffer) + h.strategy;
        uint256 lockedBefore = VaultLiquidityLib.lockedGain(liquidity);
        uint256 booked = strategy.totalAssetsOf(address(this)); // a loss is booked in full
        if (booked > h.strategy) {
            booked = h.strategy + Math.min(booked - h.strategy, Math.min(maxGain, (previous * r.maxIncreaseBps) / BPS));
        } else if (booked < h.strategy) {
            VaultLiquidityLib.absorbLoss(liquidity, h.strategy - booked);
        }
        uint256 current = uint256(h.buffer) + booked;
        feeShares = _chargeFee(s, previous, current, supply + virtualShares, r.protocolFeeBps);
        liquidity.holdings.strategy = booked.toUint128();
        if (current > previous) {
            uint256 period = r.minReportInterval;
            _lockGain(liquidity, previous - lockedBefore, current, supply + virtualShares, feeShares, period);
        }
        s.reports.lastReportAt = uint64(block.timestamp);
        emit ISurgeVaultEvents.ExchangeRateReported(
            current,
            supply + feeShares,
            previous,
            booked,
            feeShares,
            block.timestamp
        );
    }

    /// @dev Locks what keeps the rate where it was before a report that raised the total assets to `current`: the
    /// locked total L makes (current - L + 1) / (basis + feeShares) equal (vestedBefore + 1) / basis, rounded so
    /// that the rate never rises at the report. It then vests over the report interval.
    function _lockGain(
        VaultLiquidityLib.Store storage liquidity,
        uint256 vestedBefore,
        uint256 current,
        uint256 basis,
        uint256 feeShares,
        uint256 period
    ) private {
        uint256 lockedBefore = VaultLiquidityLib.lockedGain(liquidity);
        uint256 keep = (vestedBefore + 1).mulDiv(basis + feeShares, basis, Math.Rounding.Ceil);
        uint256 locked = current + 1 > keep ? current + 1 - keep : 0;
        if (locked > lockedBefore) VaultLiquidityLib.lock(liquidity, locked - lockedBefore, period);
    }

    /// @dev The fee shares on a report that moves total assets from `previous` to `current` (over `basis` shares);
    /// emits `ProtocolFeeMinted` and raises the high-water mark to the rate after the fee. The fee applies only to
    /// the rise above both the high-water mark and the rate before the report (rises between reports, such as exit
    /// fees left behind, are never charged; neither is a recovery from a loss).
    function _chargeFee(
        Store storage s,
        uint256 previous,
        uint256 current,
        uint256 basis,
        uint256 feeBps
    ) private returns (uint256 feeShares) {
        uint256 highWater = s.highWaterRate;
        uint256 feeBase = Math.max(previous + 1, highWater.mulDiv(basis, RATE_SCALE, Math.Rounding.Ceil));
        if (current + 1 > feeBase) {
            uint256 feeAssets = ((current + 1 - feeBase) * feeBps) / BPS;
            // Shares worth `feeAssets` once minted: f * (current + 1) / (basis + f) == feeAssets.
            if (feeAssets != 0) {
                feeShares = feeAssets.mulDiv(basis, current + 1 - feeAssets);
                emit ISurgeVaultEvents.ProtocolFeeMinted(s.treasury, feeAssets, feeShares);
            }
        }
        uint256 rate = (current + 1).mulDiv(RATE_SCALE, basis + feeShares);
        if (rate > highWater) s.highWaterRate = rate;
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
    }

    function _checkRange(string memory name, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ISurgeVaultErrors.ParameterOutOfRange(name, value, min, max);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IRestakingStrategy} from "../interfaces/IRestakingStrategy.sol";
import {ISurgeVaultTypes, ISurgeVaultErrors, ISurgeVaultEvents, IWETH9} from "../interfaces/ISurgeVault.sol";
import {VaultLiquidityLib} from "./VaultLiquidityLib.sol";
import {VaultParametersLib} from "./VaultParametersLib.sol";

/// @title SurgeVault's withdrawal queue
/// @notice A request escrows sgETH in the vault and books the value of those shares at the time (`assets`). From
/// `claimableBlock` on it pays `min(assets, value of the shares)`, the value taken at one of two moments:
/// - **finalization** (`finalize`, run by every `rebalance`): once its delay has passed and the buffer can fund it,
///   in id order, the vault books any loss the strategy shows, fixes the payout at the value of the shares then,
///   burns them and sets the payout aside from the buffer (`reserved`). The request has left the pool: its ETH is
///   WETH in the vault, which no slash can reach, so later slashes and rewards are the remaining holders' alone;
///   its claim only pays the fixed amount and reads nothing from the strategy (cheap: issue 14's claim gas);
/// - or, if nobody finalized it first, its **claim** itself, which books any loss the strategy shows and values the
///   shares then (as before finalization existed).
/// Either way: the escrowed shares stay in the total supply until that moment, so a loss that arrives while the
/// request waits lowers it pro rata, exactly like every other holding (nobody escapes slashing by queueing ahead of
/// it, and no payout is ever fixed at a rate that an unbooked loss makes stale); a gain reported while it waits does
/// not raise it (like Lido's queue): the request has stopped earning, and what it does not take stays with the
/// holders.
/// @dev An external library (linked at deployment, run by DELEGATECALL on the vault's storage) so that the vault
/// stays under the 24 KB size limit; events and errors are the vault's. `msg.sender` is the vault's caller.
library WithdrawalQueueLib {
    using Math for uint256;
    using SafeCast for uint256;

    /// @dev Most requests looked at by one `finalize`, so that `rebalance` stays bounded.
    uint256 private constant MAX_FINALIZED_PER_CALL = 16;

    /// @dev Two slots. Invariants: the vault's own sgETH balance == sum of `amounts.shares` of requests neither
    /// claimed nor finalized (the escrow; sgETH cannot be transferred to the vault otherwise); Liabilities.queued ==
    /// sum of their `amounts.assets`; `reserved` == sum of `amounts.assets` of finalized, unclaimed requests (there
    /// the fixed payout; `amounts.shares` keeps the shares burned, for the claim's events). A claim zeroes `amounts`
    /// (a request always escrows at least one share) and keeps `owner`, so the status reads Claimed.
    struct Request {
        address owner;
        uint64 claimableBlock;
        bool finalized;
        Amounts amounts;
    }

    struct Amounts {
        uint128 shares;
        uint128 assets;
    }

    /// @dev Ids start at 1 (set by the vault's constructor), so 0 never names a request. Requests below
    /// `finalizeHead` are finalized or claimed. `reserved`: WETH held for finalized requests, outside the buffer.
    struct Queue {
        mapping(uint256 requestId => Request) requests;
        uint256 nextId;
        uint128 reserved;
        uint64 finalizeHead;
    }

    /// @dev What a claim settled: `burned` escrowed shares to burn and `booked` assets released from `queued` (requests
    /// not finalized), `fromBuffer` to pay from the buffer, `paid` in all (the rest from `reserved`), `shares` in all.
    struct Settlement {
        uint256 burned;
        uint256 booked;
        uint256 fromBuffer;
        uint256 paid;
        uint256 shares;
    }

    /// @dev The vault's totals as a claim moves them: `total` assets (type(uint256).max until read) and `supply`.
    struct Totals {
        uint256 total;
        uint256 supply;
        uint256 virtualShares;
    }

    /// @notice Records a request of `owner` for `shares` worth `assets` (already escrowed by the vault), claimable
    /// after the vault's delay `delayBlocks`. The strategy's delay is a time (Symbiotic's epochs), not a number of
    /// blocks: when the buffer cannot pay by then, the request reads `AwaitingLiquidity` until an unstake lands.
    function enqueue(
        Queue storage q,
        address owner,
        uint256 shares,
        uint256 assets,
        uint256 delayBlocks
    ) external returns (uint256 requestId) {
        requestId = q.nextId++;
        uint256 claimableBlock = block.number + delayBlocks;
        q.requests[requestId] = Request(
            owner,
            claimableBlock.toUint64(),
            false,
            Amounts(shares.toUint128(), assets.toUint128())
        );
        emit ISurgeVaultEvents.WithdrawalRequested(requestId, owner, shares, assets, claimableBlock);
    }

    /// @notice Finalizes, in id order, the requests whose delay has passed, while the buffer can fund them (at most
    /// MAX_FINALIZED_PER_CALL looked at). Books first any loss the strategy shows (`VaultLiquidityLib.bookLoss`),
    /// then fixes each payout at `min(assets, value of the shares)` at the totals the previous ones left (`supply`
    /// is the vault's total supply), exactly as claims in that order would; moves the payouts from the buffer to
    /// `reserved` and releases their `queued`. Emits `WithdrawalFinalized` for each. Reads the strategy only when the
    /// first request in line is due.
    /// @return burned Escrowed shares of the finalized requests, for the vault to burn.
    function finalize(
        Queue storage q,
        VaultLiquidityLib.Store storage liquidity,
        IRestakingStrategy strategy,
        uint256 supply,
        uint256 virtualShares
    ) external returns (uint256 burned) {
        uint256 id = q.finalizeHead;
        uint256 end = Math.min(q.nextId, id + MAX_FINALIZED_PER_CALL);
        if (id >= end || block.number < q.requests[id].claimableBlock) return 0;
        Totals memory t = Totals(VaultLiquidityLib.bookLoss(liquidity, strategy), supply, virtualShares);
        Settlement memory s;
        uint256 available = liquidity.holdings.buffer;
        while (id < end && _finalizeOne(q.requests[id], id, available, t, s)) ++id;
        q.finalizeHead = uint64(id);
        if (s.paid == 0) return s.burned;
        // Cannot underflow or overflow: paid <= buffer; booked is part of queued; reserved + paid <= WETH held.
        liquidity.holdings.buffer -= uint128(s.paid);
        liquidity.liabilities.queued -= uint128(s.booked);
        q.reserved += uint128(s.paid);
        return s.burned;
    }

    /// @dev Finalizes request `id` (`r`) at totals `t` if it is due and the rest of `available` funds it, recording
    /// it in `s` and moving `t`; false to stop (FIFO: a request not due, or not funded until an unstake lands).
    /// A request claimed already is passed over.
    function _finalizeOne(
        Request storage r,
        uint256 id,
        uint256 available,
        Totals memory t,
        Settlement memory s
    ) private returns (bool) {
        Amounts memory a = r.amounts;
        if (a.shares == 0) return true;
        if (block.number < r.claimableBlock) return false;
        uint256 pays = Math.min(a.assets, uint256(a.shares).mulDiv(t.total + 1, t.supply + t.virtualShares));
        if (pays > available - s.paid) return false;
        r.finalized = true;
        // Cannot truncate: pays <= a.assets, a uint128.
        r.amounts.assets = uint128(pays);
        emit ISurgeVaultEvents.WithdrawalFinalized(id, r.owner, a.shares, pays);
        // Cannot underflow: `pays` <= value of the shares <= total; the shares are part of the supply.
        t.total -= pays;
        t.supply -= a.shares;
        s.burned += a.shares;
        s.booked += a.assets;
        s.paid += pays;
        return true;
    }

    /// @dev A claim's bound and the vault's values it needs: the caller's `minAssets`, the total `supply` and
    /// `virtualShares`.
    struct ClaimContext {
        uint256 minAssets;
        uint256 supply;
        uint256 virtualShares;
    }

    /// @notice Claims the caller's requests `ids` for `receiver` (see `settle`): checks `minAssets`, pays the
    /// requests not finalized from the buffer, completing matured strategy withdrawals first if the buffer cannot
    /// pay (else `InsufficientLiquidity`; a gain a completion realizes vests over the report interval of `params`),
    /// and the finalized ones from `reserved`.
    /// @return burned Escrowed shares for the vault to burn. @return paid ETH for the vault to send.
    function claim(
        Queue storage q,
        VaultLiquidityLib.Store storage liquidity,
        IRestakingStrategy strategy,
        IWETH9 weth,
        VaultParametersLib.Store storage params,
        uint256[] calldata ids,
        address receiver,
        ClaimContext calldata c
    ) external returns (uint256 burned, uint256 paid) {
        Settlement memory s = settle(q, liquidity, strategy, ids, receiver, c.supply, c.virtualShares);
        if (s.paid < c.minAssets) revert ISurgeVaultErrors.AssetsBelowMinimum(s.paid, c.minAssets);
        if (s.fromBuffer != 0) {
            if (liquidity.holdings.buffer < s.fromBuffer) {
                VaultLiquidityLib.completeMatured(liquidity, strategy, weth, params.reports.minReportInterval);
            }
            uint256 buffer = liquidity.holdings.buffer;
            if (buffer < s.fromBuffer) revert ISurgeVaultErrors.InsufficientLiquidity(s.fromBuffer, buffer);
            // Cannot underflow: fromBuffer <= buffer (checked).
            liquidity.holdings.buffer = uint128(buffer - s.fromBuffer);
        }
        return (s.burned, s.paid);
    }

    /// @notice Validates and marks claimed the caller's requests `ids`; emits `WithdrawalClaimed` for each and one
    /// ERC-4626 `Withdraw` for all. A finalized request pays its fixed payout from `reserved`. The others must have
    /// passed their delay: if there is any, any loss the strategy shows is booked first (`bookLoss`) and each pays
    /// `min(assets, value of its shares)` at the totals the previous ones left (`supply` the vault's total supply),
    /// exactly as separate claims would, and its `queued` is released.
    function settle(
        Queue storage q,
        VaultLiquidityLib.Store storage liquidity,
        IRestakingStrategy strategy,
        uint256[] calldata ids,
        address receiver,
        uint256 supply,
        uint256 virtualShares
    ) private returns (Settlement memory s) {
        if (ids.length == 0) revert ISurgeVaultErrors.ZeroAmount();
        Totals memory t = Totals(type(uint256).max, supply, virtualShares); // total not read until needed
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            Request storage r = q.requests[id];
            address owner = r.owner;
            if (owner == address(0)) revert ISurgeVaultErrors.RequestNotFound(id);
            if (owner != msg.sender) revert ISurgeVaultErrors.NotRequestOwner(id, msg.sender, owner);
            Amounts memory a = r.amounts;
            if (a.shares == 0) revert ISurgeVaultErrors.RequestAlreadyClaimed(id);
            uint256 pays = r.finalized ? a.assets : _valueNow(liquidity, strategy, r, id, a, t, s);
            delete r.amounts;
            emit ISurgeVaultEvents.WithdrawalClaimed(id, owner, receiver, a.shares, pays);
            s.shares += a.shares;
            s.paid += pays;
        }
        // Cannot underflow: finalized payouts are part of `reserved`, booked assets part of `queued`.
        if (s.paid != s.fromBuffer) q.reserved -= uint128(s.paid - s.fromBuffer);
        if (s.booked != 0) liquidity.liabilities.queued -= uint128(s.booked);
        emit IERC4626.Withdraw(msg.sender, receiver, msg.sender, s.paid, s.shares);
    }

    /// @dev The payout of request `id` (`r`, amounts `a`), not finalized, claimed at totals `t` (booking the loss the
    /// strategy shows first, once per claim); moves `t` and records the escrow to burn and the queue to release.
    function _valueNow(
        VaultLiquidityLib.Store storage liquidity,
        IRestakingStrategy strategy,
        Request storage r,
        uint256 id,
        Amounts memory a,
        Totals memory t,
        Settlement memory s
    ) private returns (uint256 pays) {
        if (block.number < r.claimableBlock) revert ISurgeVaultErrors.RequestNotClaimable(id, r.claimableBlock);
        if (t.total == type(uint256).max) t.total = VaultLiquidityLib.bookLoss(liquidity, strategy);
        pays = Math.min(a.assets, uint256(a.shares).mulDiv(t.total + 1, t.supply + t.virtualShares));
        // Cannot underflow: `pays` <= value of the shares <= total; the shares are part of the supply.
        t.total -= pays;
        t.supply -= a.shares;
        s.burned += a.shares;
        s.booked += a.assets;
        s.fromBuffer += pays;
    }

    /// @notice What claiming `id` would pay at vault totals `total` assets and `supply` shares (0 if it does not
    /// exist or was claimed; the fixed payout once finalized).
    function preview(
        Queue storage q,
        uint256 id,
        uint256 total,
        uint256 supply,
        uint256 virtualShares
    ) external view returns (uint256) {
        Request storage r = q.requests[id];
        Amounts memory a = r.amounts;
        if (r.finalized) return a.assets;
        return Math.min(a.assets, uint256(a.shares).mulDiv(total + 1, supply + virtualShares));
    }

    /// @notice Status of a request and the block from which it can be claimed; `finalized` if its payout is fixed
    /// and set aside (then it can always be paid).
    function status(
        Queue storage q,
        uint256 id
    ) external view returns (ISurgeVaultTypes.WithdrawalStatus, uint256 claimableBlock, bool finalized) {
        Request storage r = q.requests[id];
        if (r.owner == address(0)) return (ISurgeVaultTypes.WithdrawalStatus.None, 0, false);
        claimableBlock = r.claimableBlock;
        if (r.amounts.shares == 0) return (ISurgeVaultTypes.WithdrawalStatus.Claimed, claimableBlock, false);
        if (r.finalized) return (ISurgeVaultTypes.WithdrawalStatus.Claimable, claimableBlock, true);
        if (block.number < claimableBlock) return (ISurgeVaultTypes.WithdrawalStatus.Pending, claimableBlock, false);
        return (ISurgeVaultTypes.WithdrawalStatus.Claimable, claimableBlock, false);
    }
}

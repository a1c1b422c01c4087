// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ISurgeVaultTypes, ISurgeVaultErrors, ISurgeVaultEvents} from "../interfaces/ISurgeVault.sol";

/// @title SurgeVault's withdrawal queue
/// @notice A request escrows sgETH in the vault and books the value of those shares at the time (`assets`). Its
/// claim, from `claimableBlock` on, burns the shares and pays `min(assets, value of the shares at claim)`:
/// - the escrowed shares stay in the total supply, so a loss reported while the request waits lowers it pro rata,
///   exactly like every other holding (nobody escapes slashing by queueing ahead of it);
/// - a gain reported while it waits does not raise it (like Lido's queue): the request has stopped earning, and what
///   it does not take stays with the holders.
/// @dev An external library (linked at deployment, run by DELEGATECALL on the vault's storage) so that the vault
/// stays under the 24 KB size limit; events and errors are the vault's. `msg.sender` is the vault's caller.
library WithdrawalQueueLib {
    using Math for uint256;
    using SafeCast for uint256;

    /// @dev Two slots. Invariants: the vault's own sgETH balance == sum of `amounts.shares` of unclaimed requests
    /// (the escrow; sgETH cannot be transferred to the vault otherwise); Liabilities.queued == sum of their
    /// `amounts.assets`. A claim zeroes `amounts` (a request always escrows at least one share) and keeps `owner`,
    /// so the status reads Claimed.
    struct Request {
        address owner;
        uint64 claimableBlock;
        Amounts amounts;
    }

    struct Amounts {
        uint128 shares;
        uint128 assets;
    }

    /// @dev Ids start at 1 (set by the vault's constructor), so 0 never names a request.
    struct Queue {
        mapping(uint256 requestId => Request) requests;
        uint256 nextId;
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
            Amounts(shares.toUint128(), assets.toUint128())
        );
        emit ISurgeVaultEvents.WithdrawalRequested(requestId, owner, shares, assets, claimableBlock);
    }

    /// @notice Validates and marks claimed the caller's requests `ids`, at vault totals `total` assets and `supply`
    /// shares (plus `virtualShares`); emits `WithdrawalClaimed` for each and one ERC-4626 `Withdraw` for all; returns
    /// the sums of their shares, booked assets and payouts. Each request
    /// sees the totals the previous ones left, exactly as separate claims would.
    function settle(
        Queue storage q,
        uint256[] calldata ids,
        address receiver,
        uint256 total,
        uint256 supply,
        uint256 virtualShares
    ) external returns (uint256 shares, uint256 booked, uint256 paid) {
        if (ids.length == 0) revert ISurgeVaultErrors.ZeroAmount();
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            Request storage r = q.requests[id];
            address owner = r.owner;
            if (owner == address(0)) revert ISurgeVaultErrors.RequestNotFound(id);
            if (owner != msg.sender) revert ISurgeVaultErrors.NotRequestOwner(id, msg.sender, owner);
            Amounts memory a = r.amounts;
            if (a.shares == 0) revert ISurgeVaultErrors.RequestAlreadyClaimed(id);
            if (block.number < r.claimableBlock) revert ISurgeVaultErrors.RequestNotClaimable(id, r.claimableBlock);
            uint256 pays = Math.min(a.assets, uint256(a.shares).mulDiv(total + 1, supply + virtualShares));
            delete r.amounts;
            emit ISurgeVaultEvents.WithdrawalClaimed(id, owner, receiver, a.shares, pays);
            // Cannot underflow: `pays` <= value of the shares <= total; the shares are part of the supply.
            total -= pays;
            supply -= a.shares;
            shares += a.shares;
            booked += a.assets;
            paid += pays;
        }
        emit IERC4626.Withdraw(msg.sender, receiver, msg.sender, paid, shares);
    }

    /// @notice What claiming `id` would pay at vault totals `total` assets and `supply` shares (0 if it does not
    /// exist or was claimed).
    function preview(
        Queue storage q,
        uint256 id,
        uint256 total,
        uint256 supply,
        uint256 virtualShares
    ) external view returns (uint256) {
        Amounts memory a = q.requests[id].amounts;
        return Math.min(a.assets, uint256(a.shares).mulDiv(total + 1, supply + virtualShares));
    }

    /// @notice Status of a request and the block from which it can be claimed.
    function status(
        Queue storage q,
        uint256 id
    ) external view returns (ISurgeVaultTypes.WithdrawalStatus, uint256 claimableBlock) {
        Request storage r = q.requests[id];
        if (r.owner == address(0)) return (ISurgeVaultTypes.WithdrawalStatus.None, 0);
        claimableBlock = r.claimableBlock;
        if (r.amounts.shares == 0) return (ISurgeVaultTypes.WithdrawalStatus.Claimed, claimableBlock);
        if (block.number < claimableBlock) return (ISurgeVaultTypes.WithdrawalStatus.Pending, claimableBlock);
        return (ISurgeVaultTypes.WithdrawalStatus.Claimable, claimableBlock);
    }
}

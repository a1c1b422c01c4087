// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IWorkerRegistry} from "../interfaces/IWorkerRegistry.sol";
import {BLS} from "../libraries/BLS.sol";
import {SignerSet} from "../libraries/SignerSet.sol";

/// @title WorkerRegistry
/// @notice Workers bond sgETH and register a BLS12-381 public key with a proof of possession. A bond of at least
/// `minBond` puts a worker in the signer set; it can grow at any time; leaving takes `requestExit` (the worker leaves
/// the set at once) and, `unbondingDelay` blocks later, `withdraw`. The registry keeps the set's aggregate public key
/// (apk) and stake current, so that `checkSignatures` checks one aggregate signature of any number of workers with
/// one pairing, in gas that grows only with the non-signers.
/// Slashing is lazy: the settlement records a rejected root (`recordRejection`, O(1)), and anyone then slashes its
/// signers in batches (`applySlashes`). Until every signer of every rejection is slashed (`pendingSlashes == 0`) no
/// aggregate signature is accepted, so unprocessed stake can neither sign a quorum nor weigh in the denominator of the
/// next one; a worker leaves (`withdraw`) only once checked against every rejection since it joined.
/// @dev [CAUTION] The settlement contract is bound once, by the deployer, after both are deployed (each needs the
/// other's address). Until then nothing can be slashed.
contract WorkerRegistry is IWorkerRegistry, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;
    using Checkpoints for Checkpoints.Trace208;

    uint256 private constant BPS = 10_000;
    /// @dev Slashed sgETH is sent here: out of circulation for good.
    address private constant BURN_ADDRESS = 0x000000000000000000000000000000000000dEaD;
    /// @notice Domain separation tag of attestation signatures (RFC 9380 hash to G2; game/chain/bls.ts).
    bytes public constant ATTESTATION_DST = "SURGE-GOLD-V1_BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// @notice Domain separation tag of proofs of possession: a PoP is never a valid attestation signature.
    bytes public constant POP_DST = "SURGE-GOLD-V1_BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    IERC20 private immutable _share;
    uint256 private immutable _minBond;
    uint256 private immutable _unbondingDelay;
    address private immutable _deployer;
    address private _settlement;

    /// @dev Invariant: `_share.balanceOf(this) >= _totalBonded == sum of _workers[w].bond`; every bond is held here.
    mapping(address worker => Worker) private _workers;
    uint256 private _totalBonded;
    /// @dev Invariant: `_eligibleStake == sum of bonds of eligible workers` (registered, not exiting, not slashed by
    /// an applied slash) `== sum over indices of _bonds[i].latest()`; `_eligibleCount` counts them and `_apk` is the
    /// sum of their public keys. The quorum's denominator: slashed and exiting stake never counts against honest
    /// workers.
    uint256 private _eligibleStake;
    uint256 private _eligibleCount;
    BLS.Packed private _apk;
    /// @dev Bumped by every change of the signer set (a join, a bond added, an exit, an applied slash).
    uint48 private _version;
    /// @dev Per index: `worker | cleared << 160`, cleared = rejections it has been checked against (it joined after
    /// the first `cleared`). Invariant: cleared <= _rejections.length.
    uint256[] private _indices;
    mapping(uint256 index => BLS.Packed) private _publicKeys;
    /// @dev Per index, by version: the bond counting in the signer set (0 while not eligible).
    mapping(uint256 index => Checkpoints.Trace208) private _bonds;
    Rejection[] private _rejections;
    /// @dev Invariant: `_pendingSlashes == sum of _rejections[r].remaining`.
    uint256 private _pendingSlashes;
    /// @dev What a worker lost to slashes, in all, and whether it was ever slashed, in one slot (one write a slash).
    struct SlashRecord {
        uint128 amount;
        bool slashed;
    }
    mapping(address worker => SlashRecord) private _slashed;

    /// @param share sgETH
    /// @param minBond_ smallest bond that lets a worker attest (sgETH base units, 21 decimals)
    /// @param unbondingDelay_ blocks between `requestExit` and `withdraw`; must exceed the challenge window
    constructor(IERC20 share, uint256 minBond_, uint256 unbondingDelay_) {
        if (address(share) == address(0)) revert ZeroAddress();
        if (minBond_ == 0 || unbondingDelay_ == 0) revert InvalidAmount(0);
        _share = share;
        _minBond = minBond_;
        _unbondingDelay = unbondingDelay_;
        _deployer = msg.sender;
    }

    modifier onlySettlement() {
        if (msg.sender != _settlement || msg.sender == address(0)) revert NotSettlement(msg.sender);
        _;
    }

    /// @inheritdoc IWorkerRegistry
    function bindSettlement(address settlement_) external {
        if (msg.sender != _deployer || _settlement != address(0)) revert SettlementBindingClosed(msg.sender);
        if (settlement_ == address(0)) revert ZeroAddress();
        _settlement = settlement_;
        emit SettlementBound(settlement_);
    }

    // ---------------------------------------------------------------- joining and leaving

    /// @inheritdoc IWorkerRegistry
    function register(uint256 amount, bytes calldata publicKey, bytes calldata pop) external nonReentrant {
        Worker storage w = _workers[msg.sender];
        if (w.registered) revert AlreadyRegistered(msg.sender);
        // A worker slashed once never attests again, also not by withdrawing and registering afresh.
        if (_slashed[msg.sender].slashed) revert NotEligible(msg.sender);
        if (amount < _minBond) revert BondBelowMinimum(amount, _minBond);
        BLS.Packed memory pk = BLS.pack(publicKey);
        // The proof of possession: the key's owner signed this address's claim to it (with its own tag), so no key
        // in the set is a rogue key chosen to cancel others in the aggregate (pk' = pk - apk). The pairing also
        // checks that the key is in G1's prime-order subgroup.
        bytes memory message = abi.encodePacked(block.chainid, address(this), msg.sender, publicKey);
        if (!BLS.verify(pk, message, POP_DST, pop)) revert InvalidProofOfPossession();
        uint256 index = _indices.length;
        _indices.push(uint256(uint160(msg.sender)) | (_rejections.length << 160));
        _publicKeys[index] = pk;
        w.registered = true;
        w.bond = amount.toUint128();
        w.index = index.toUint40();
        _totalBonded += amount;
        _join(index, pk, amount);
        _share.safeTransferFrom(msg.sender, address(this), amount);
        emit WorkerRegistered(msg.sender, amount, index, publicKey);
    }

    /// @inheritdoc IWorkerRegistry
    function addBond(uint256 amount) external nonReentrant {
        Worker storage w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock != 0) revert AlreadyExiting(msg.sender);
        if (amount == 0) revert InvalidAmount(0);
        uint256 bond = w.bond + amount;
        w.bond = bond.toUint128();
        _totalBonded += amount;
        if (w.slashes == 0) {
            _eligibleStake += amount;
            _bonds[w.index].push(_bump(), uint208(bond));
        }
        _share.safeTransferFrom(msg.sender, address(this), amount);
        emit BondAdded(msg.sender, amount, bond);
    }

    /// @inheritdoc IWorkerRegistry
    function requestExit() external returns (uint256 exitBlock) {
        Worker storage w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock != 0) revert AlreadyExiting(msg.sender);
        exitBlock = block.number + _unbondingDelay;
        w.exitBlock = exitBlock.toUint40();
        if (w.slashes == 0) _leave(w.index, w.bond, _bump());
        emit ExitRequested(msg.sender, exitBlock);
    }

    /// @inheritdoc IWorkerRegistry
    function withdraw() external nonReentrant returns (uint256 amount) {
        Worker memory w = _workers[msg.sender];
        if (!w.registered) revert NotRegistered(msg.sender);
        if (w.exitBlock == 0) revert NotExiting(msg.sender);
        if (block.number < w.exitBlock) revert ExitNotReady(w.exitBlock);
        // A signer of a rejected root is slashed before its bond can go.
        if (_indices[w.index] >> 160 != _rejections.length) revert NotCleared(w.index);
        amount = w.bond;
        _totalBonded -= amount;
        delete _workers[msg.sender];
        _share.safeTransfer(msg.sender, amount);
        emit WorkerWithdrawn(msg.sender, amount);
    }

    // ---------------------------------------------------------------- signatures

    /// @inheritdoc IWorkerRegistry
    function checkSignatures(
        bytes32 digest,
        uint256[] calldata nonSigners,
        bytes calldata signature
    ) external view returns (uint256 signedStake, uint256 eligibleStake_, uint256 version_, uint256 signers) {
        if (_pendingSlashes != 0) revert SlashesPending(_pendingSlashes);
        eligibleStake_ = _eligibleStake;
        signedStake = eligibleStake_;
        uint256 n = nonSigners.length;
        BLS.Packed memory apk = _apk;
        if (n != 0) {
            BLS.Packed memory missing;
            uint256 previous;
            for (uint256 i; i < n; ++i) {
                uint256 index = nonSigners[i];
                if (i != 0 && index <= previous) revert InvalidNonSigner(index);
                previous = index;
                uint256 bond = _bonds[index].latest();
                if (bond == 0) revert InvalidNonSigner(index);
                // bond is part of the eligible stake, and the non-signers are distinct: no underflow.
                unchecked {
                    signedStake -= bond;
                }
                missing = i == 0 ? _publicKeys[index] : BLS.add(missing, _publicKeys[index]);
            }
            apk = BLS.sub(apk, missing);
        }
        // A signer set of no one (apk at infinity) verifies nothing.
        if (!BLS.verify(apk, abi.encodePacked(digest), ATTESTATION_DST, signature)) revert InvalidSignature();
        version_ = _version;
        signers = _eligibleCount - n;
    }

    // ---------------------------------------------------------------- slashing

    /// @inheritdoc IWorkerRegistry
    function recordRejection(
        uint256 version_,
        bytes32 nonSigners,
        uint256 signers,
        uint256 bps
    ) external onlySettlement returns (uint256 rejection) {
        if (bps > BPS) revert InvalidAmount(bps);
        rejection = _rejections.length;
        _rejections.push(
            Rejection({
                version: version_.toUint48(),
                signers: signers.toUint32(),
                remaining: signers.toUint32(),
                bps: uint16(bps),
                nonSigners: nonSigners
            })
        );
        _pendingSlashes += signers;
        emit RejectionRecorded(rejection, version_, nonSigners, signers);
    }

    /// @dev What one `applySlashes` batch takes out of the signer set, applied once at its end.
    struct Batch {
        uint48 version;
        uint256 count; // signers slashed
        uint256 burned;
        BLS.Packed keys; // public keys leaving the set
        uint256 stake; // their eligible bonds
        uint256 leaving; // how many of them
    }

    /// @inheritdoc IWorkerRegistry
    function applySlashes(
        uint256 rejection,
        uint256[] calldata nonSigners,
        uint256[] calldata indices
    ) external nonReentrant returns (uint256 burned) {
        if (rejection >= _rejections.length) revert UnknownRejection(rejection);
        Rejection memory r = _rejections[rejection];
        if (SignerSet.hash(nonSigners) != r.nonSigners) revert UnknownRejection(rejection);
        Batch memory b;
        b.version = _version + 1;
        for (uint256 i; i < indices.length; ++i) {
            _check(r, rejection, nonSigners, indices[i], b);
        }
        if (b.leaving != 0) {
            _apk = BLS.sub(_apk, b.keys);
            _eligibleStake -= b.stake;
            _eligibleCount -= b.leaving;
            _version = b.version;
        }
        // Every slashed worker was a signer checked for the first time: at most `remaining` of them.
        uint256 remaining = r.remaining - b.count;
        _rejections[rejection].remaining = uint32(remaining);
        _pendingSlashes -= b.count;
        burned = b.burned;
        _totalBonded -= burned;
        emit SlashesApplied(rejection, b.count, burned, remaining);
        // Burned whole: a reward to whoever challenges first would flow back to a liar that challenges itself.
        if (burned != 0) _share.safeTransfer(BURN_ADDRESS, burned);
    }

    /// @dev Checks worker `index` against rejection `r` (id `rejection`): clears it, and slashes it if it signed.
    function _check(
        Rejection memory r,
        uint256 rejection,
        uint256[] calldata nonSigners,
        uint256 index,
        Batch memory b
    ) private {
        uint256 entry = _indices[index];
        uint256 cleared = entry >> 160;
        if (cleared > rejection) return; // checked already
        if (cleared < rejection) revert RejectionsOutOfOrder(index, cleared);
        _indices[index] = (entry & type(uint160).max) | ((rejection + 1) << 160);
        // A signer: eligible at the attestation's version and not in its non-signer list.
        if (_bonds[index].upperLookupRecent(r.version) == 0 || SignerSet.contains(nonSigners, index)) return;
        address worker = address(uint160(entry));
        Worker storage w = _workers[worker];
        uint256 bond = w.bond;
        uint256 amount = (bond * r.bps) / BPS; // bps <= BPS: amount <= bond
        // Its current place in the set (none if it exited or was slashed since: nothing to take out twice).
        uint256 current = _bonds[index].latest();
        if (current != 0) {
            _bonds[index].push(b.version, 0);
            b.keys = b.leaving == 0 ? _publicKeys[index] : BLS.add(b.keys, _publicKeys[index]);
            b.stake += current;
            b.leaving += 1;
        }
        w.bond = uint128(bond - amount);
        w.slashes += 1;
        // A flag beside the amount: a slash of 0 (slashBps 0, or a bond it rounds to nothing) still bars a return.
        // Bonds are uint128 and a worker's slashes never exceed what it bonded: the sum fits.
        SlashRecord storage rec = _slashed[worker];
        rec.amount += uint128(amount);
        rec.slashed = true;
        b.burned += amount;
        b.count += 1;
        emit WorkerSlashed(worker, amount, bond - amount);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Bumps the signer set's version and returns the new one.
    function _bump() private returns (uint48 v) {
        v = _version + 1;
        _version = v;
    }

    function _join(uint256 index, BLS.Packed memory pk, uint256 bond) private {
        _bonds[index].push(_bump(), bond.toUint208());
        _apk = BLS.add(_apk, pk);
        _eligibleStake += bond;
        _eligibleCount += 1;
    }

    function _leave(uint256 index, uint256 bond, uint48 version_) private {
        _bonds[index].push(version_, 0);
        _eligibleCount -= 1;
        _eligibleStake -= bond;
        // The last one out leaves the point at infinity (all zeros): G1ADD returns it for pk - pk.
        _apk = BLS.sub(_apk, _publicKeys[index]);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IWorkerRegistry
    function workerOf(address worker) external view returns (Worker memory) {
        return _workers[worker];
    }

    /// @inheritdoc IWorkerRegistry
    function workerAt(uint256 index) external view returns (address) {
        return index < _indices.length ? address(uint160(_indices[index])) : address(0);
    }

    /// @inheritdoc IWorkerRegistry
    function workerCount() external view returns (uint256) {
        return _indices.length;
    }

    /// @inheritdoc IWorkerRegistry
    function publicKeyOf(uint256 index) external view returns (bytes memory) {
        return BLS.unpack(_publicKeys[index]);
    }

    /// @inheritdoc IWorkerRegistry
    function bondAt(uint256 index, uint256 version_) external view returns (uint256) {
        return _bonds[index].upperLookupRecent(version_.toUint48());
    }

    /// @inheritdoc IWorkerRegistry
    function signerInfo(
        uint256 index,
        uint256 version_
    ) external view returns (address worker, uint256 bond, bool cleared) {
        uint256 entry = _indices[index];
        return (
            address(uint160(entry)),
            _bonds[index].upperLookupRecent(version_.toUint48()),
            entry >> 160 == _rejections.length
        );
    }

    /// @inheritdoc IWorkerRegistry
    function eligibleAt(uint256 version_, uint256 from, uint256 to) external view returns (uint256[] memory indices) {
        if (to > _indices.length) to = _indices.length;
        indices = new uint256[](to > from ? to - from : 0);
        uint256 n;
        for (uint256 i = from; i < to; ++i) {
            if (_bonds[i].upperLookupRecent(version_.toUint48()) != 0) indices[n++] = i;
        }
        assembly ("memory-safe") {
            mstore(indices, n)
        }
    }

    /// @inheritdoc IWorkerRegistry
    function isEligible(address worker) external view returns (bool) {
        Worker memory w = _workers[worker];
        return w.registered && w.exitBlock == 0 && w.slashes == 0;
    }

    /// @inheritdoc IWorkerRegistry
    function totalBonded() external view returns (uint256) {
        return _totalBonded;
    }

    /// @inheritdoc IWorkerRegistry
    function eligibleStake() external view returns (uint256) {
        return _eligibleStake;
    }

    /// @inheritdoc IWorkerRegistry
    function eligibleCount() external view returns (uint256) {
        return _eligibleCount;
    }

    /// @inheritdoc IWorkerRegistry
    function aggregatePublicKey() external view returns (bytes memory) {
        return BLS.unpack(_apk);
    }

    /// @inheritdoc IWorkerRegistry
    function version() external view returns (uint256) {
        return _version;
    }

    /// @inheritdoc IWorkerRegistry
    function pendingSlashes() external view returns (uint256) {
        return _pendingSlashes;
    }

    /// @inheritdoc IWorkerRegistry
    function rejectionCount() external view returns (uint256) {
        return _rejections.length;
    }

    /// @inheritdoc IWorkerRegistry
    function rejectionOf(uint256 rejection) external view returns (Rejection memory) {
        return _rejections[rejection];
    }

    /// @inheritdoc IWorkerRegistry
    function clearedOf(uint256 index) external view returns (uint256) {
        return _indices[index] >> 160;
    }

    /// @inheritdoc IWorkerRegistry
    function slashedOf(address worker) external view returns (uint256) {
        return _slashed[worker].amount;
    }

    /// @inheritdoc IWorkerRegistry
    function shareToken() external view returns (address) {
        return address(_share);
    }

    /// @inheritdoc IWorkerRegistry
    function settlement() external view returns (address) {
        return _settlement;
    }

    /// @inheritdoc IWorkerRegistry
    function minBond() external view returns (uint256) {
        return _minBond;
    }

    /// @inheritdoc IWorkerRegistry
    function unbondingDelay() external view returns (uint256) {
        return _unbondingDelay;
    }
}

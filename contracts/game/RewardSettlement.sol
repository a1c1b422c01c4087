// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRewardSettlement} from "../interfaces/IRewardSettlement.sol";
import {IRunRegistry, IRunRegistryTypes} from "../interfaces/IRunRegistry.sol";
import {IWorkerRegistry} from "../interfaces/IWorkerRegistry.sol";
import {ISurgeReplayer} from "../interfaces/ISurgeReplayer.sol";
import {GoldToken} from "../token/GoldToken.sol";

/// @title RewardSettlement
/// @notice Turns verified runs into GOLD. Per epoch (the RunRegistry's blocks):
/// 1. From the epoch's end, for `fallbackDelay` blocks, eligible workers `attest` a StandardMerkleTree root of leaves
///    `(index, runId, player, gold)` in submission order, with the run count (checked against the registry at once)
///    and the epoch's total boosted gold. A root backed by `quorumBps` of all bonded stake and by at least
///    `minAttesters` workers reaches quorum and is challengeable for `challengeWindow` blocks.
/// 2. `challenge` with one leaf, its proof and the run's inputs: a leaf that contradicts the registry, or whose gold
///    the on-chain replay disproves, rejects the root and slashes every attester; the epoch opens a new round.
/// 3. After the window, `finalize`; players `claim` (many runs and epochs in one call, each run once) and attesters
///    `claimAttesterReward`.
/// 4. If no root is challengeable or final when attestation closes, anyone may `settleByReplay` single runs.
/// @dev Emission: an epoch mints at most `epochCap`. A final epoch's emission is min(cap, total boosted gold * 1
/// GOLD); `attesterBps` of it is the attesters' pool (split by attested bond), the rest the players' pool, split by
/// boosted gold: a run pays `boosted * playerPool / totalGold`. So below the cap a point of boosted gold pays
/// (1 - attesterBps) GOLD, above it everyone is scaled down pro rata. The attested total cannot be proven wrong by a
/// single leaf; the per-epoch ledger (`EpochEmissionExceeded`) and the token's schedule bound what a wrong total
/// could mint to the cap.
/// Choices: the quorum is a share of bonded stake (above 50%, so two roots cannot both reach it in a round where each
/// worker attests once) plus a minimum number of workers, not k workers: k identities are cheap, a stake share is
/// not, so a colluding minority cannot finalize. Attestation closes when the fallback opens, and the constructor
/// requires an unbonding delay longer than that plus the window, so every attester is still bonded while its root
/// can be challenged. Slashing happens in the challenge itself, hence the `maxAttesters` bound on its loop.
/// [CAUTION] Challengers need the attested tree: honest workers rebuild it from the chain's events, and a quorum
/// of colluding stake that withholds a different tree is the trust assumption (see docs/SETTLEMENT.md).
contract RewardSettlement is IRewardSettlement, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    /// @notice GOLD (18 decimals) per point of boosted gold, below the cap and before the attesters' share.
    uint256 public constant GOLD_PER_POINT = 1e18;
    uint256 private constant NONCE_MASK = (1 << 80) - 1;

    IRunRegistry private immutable _runs;
    IWorkerRegistry private immutable _workers;
    ISurgeReplayer private immutable _replayer;
    GoldToken private immutable _gold;
    uint256 private immutable _genesisBlock;
    uint256 private immutable _epochBlocks;
    uint256 private immutable _epochCap;
    uint256 private immutable _attesterBps;
    uint256 private immutable _quorumBps;
    uint256 private immutable _minAttesters;
    uint256 private immutable _maxAttesters;
    uint256 private immutable _challengeWindow;
    uint256 private immutable _fallbackDelay;
    uint256 private immutable _slashBps;
    uint256 private immutable _challengerBps;

    /// @dev Stored status is Open, Challengeable, Final or Fallback; Finalizable is derived (window passed).
    struct EpochState {
        uint32 round;
        uint40 windowEnd;
        EpochStatus status;
    }

    /// @dev A candidate root of one round. Its id hashes (epoch, round, root, runCount, totalGold).
    struct Proposal {
        bytes32 root;
        uint128 stake;
        uint64 totalGold;
        uint32 runCount;
        uint16 attesters;
    }

    /// @dev A final epoch's payouts. Invariant: `minted <= playerPool <= epochCap`.
    struct Ledger {
        uint96 playerPool;
        uint96 minted;
        uint64 totalGold;
    }

    mapping(uint256 epoch => EpochState) private _epochs;
    /// @dev The proposal that reached quorum in the current round (challengeable, then final).
    mapping(uint256 epoch => bytes32 proposalId) private _quorum;
    mapping(bytes32 proposalId => Proposal) private _proposals;
    /// @dev Attesters of a proposal: `worker << 96 | bond at attestation` (the bond is zeroed once rewarded).
    mapping(bytes32 proposalId => uint256[]) private _attesters;
    /// @dev `round + 1` of the worker's last attestation for the epoch: one attestation per worker per round.
    mapping(uint256 epoch => mapping(address worker => uint256)) private _attestedRound;
    mapping(uint256 epoch => bytes32) private _finalRoot;
    mapping(uint256 epoch => Ledger) private _ledgers;
    /// @dev One bit per run, keyed by player and run nonce: a player's runs share words, so a claim over many epochs
    /// writes one slot. Invariant: a run's bit is set iff it was paid (claim or replay).
    mapping(address player => mapping(uint256 word => uint256 bits)) private _claimed;

    /// @param runs_ the RunRegistry (epochs and runs)
    /// @param workers_ the WorkerRegistry (bonds; it must be bound to this contract)
    /// @param replayer a SurgeReplayer: SurgeRules behind an external call, which keeps this contract under the
    /// code-size limit
    /// @param cfg parameters, see `Config`
    constructor(IRunRegistry runs_, IWorkerRegistry workers_, ISurgeReplayer replayer, Config memory cfg) {
        if (
            cfg.epochCap == 0 ||
            cfg.epochCap > type(uint96).max ||
            cfg.attesterBps > BPS / 2 ||
            cfg.quorumBps <= BPS / 2 ||
            cfg.quorumBps > BPS ||
            cfg.minAttesters == 0 ||
            cfg.maxAttesters < cfg.minAttesters ||
            cfg.maxAttesters > 256 ||
            cfg.challengeWindow == 0 ||
            cfg.fallbackDelay == 0 ||
            cfg.slashBps > BPS ||
            cfg.challengerBps > BPS ||
            workers_.unbondingDelay() <= cfg.fallbackDelay + cfg.challengeWindow
        ) revert InvalidConfig();
        _runs = runs_;
        _workers = workers_;
        _replayer = replayer;
        _genesisBlock = runs_.genesisBlock();
        _epochBlocks = runs_.epochBlocks();
        _epochCap = cfg.epochCap;
        _attesterBps = cfg.attesterBps;
        _quorumBps = cfg.quorumBps;
        _minAttesters = cfg.minAttesters;
        _maxAttesters = cfg.maxAttesters;
        _challengeWindow = cfg.challengeWindow;
        _fallbackDelay = cfg.fallbackDelay;
        _slashBps = cfg.slashBps;
        _challengerBps = cfg.challengerBps;
        _gold = new GoldToken(address(this), cfg.epochCap, _genesisBlock, _epochBlocks);
    }

    // ---------------------------------------------------------------- attest, challenge, finalize

    /// @inheritdoc IRewardSettlement
    function attest(uint256 epoch, bytes32 root, uint256 runCount, uint256 totalGold) external nonReentrant {
        uint256 round = _checkAttestation(epoch, root, runCount);
        (uint256 bond, uint256 totalBonded) = _workers.recordAttestation(msg.sender);
        (bytes32 id, uint256 stake, uint256 attesters) = _support(epoch, round, root, runCount, totalGold, bond);
        if (stake * BPS >= _quorumBps * totalBonded && attesters >= _minAttesters) {
            uint256 windowEnd = block.number + _challengeWindow;
            EpochState storage e = _epochs[epoch];
            e.status = EpochStatus.Challengeable;
            e.windowEnd = windowEnd.toUint40();
            _quorum[epoch] = id;
            emit QuorumReached(epoch, root, round, windowEnd);
        }
    }

    /// @dev Reverts unless the caller may attest `root` for `epoch` now; marks it as attested in this round.
    function _checkAttestation(uint256 epoch, bytes32 root, uint256 runCount) private returns (uint256 round) {
        uint256 end = _epochEnd(epoch);
        if (block.number < end) revert EpochNotEnded(epoch, end);
        EpochState memory e = _epochs[epoch];
        // Attestation closes when runs may start to settle by replay: then no worker that attested can have left
        // before its root's challenge window closes (the unbonding delay is longer, see the constructor).
        if (e.status != EpochStatus.Open || block.number >= end + _fallbackDelay) {
            revert WrongEpochStatus(epoch, epochStatus(epoch));
        }
        if (root == bytes32(0)) revert ZeroRoot();
        uint256 expected = _runs.runCount(epoch);
        if (expected == 0) revert EmptyEpoch(epoch);
        if (runCount != expected) revert RunCountMismatch(runCount, expected);
        round = e.round;
        if (_attestedRound[epoch][msg.sender] == round + 1) revert AlreadyAttested(epoch, msg.sender);
        _attestedRound[epoch][msg.sender] = round + 1;
    }

    /// @dev Adds the caller's `bond` to the proposal `(epoch, round, root, runCount, totalGold)`.
    function _support(
        uint256 epoch,
        uint256 round,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold,
        uint256 bond
    ) private returns (bytes32 id, uint256 stake, uint256 attesters) {
        id = _proposalId(epoch, round, root, runCount, totalGold);
        Proposal storage p = _proposals[id];
        if (p.root == bytes32(0)) {
            p.root = root;
            p.totalGold = totalGold.toUint64();
            p.runCount = runCount.toUint32();
        }
        attesters = uint256(p.attesters) + 1;
        if (attesters > _maxAttesters) revert TooManyAttesters(_maxAttesters);
        stake = uint256(p.stake) + bond;
        p.stake = stake.toUint128();
        p.attesters = uint16(attesters);
        _attesters[id].push((uint256(uint160(msg.sender)) << 96) | bond.toUint96());
        emit Attested(epoch, msg.sender, root, round, runCount, totalGold, stake, attesters);
    }

    /// @inheritdoc IRewardSettlement
    function challenge(
        uint256 epoch,
        Leaf calldata leaf,
        bytes32[] calldata proof,
        bytes calldata inputs
    ) external nonReentrant {
        EpochState storage e = _epochs[epoch];
        if (e.status != EpochStatus.Challengeable) revert WrongEpochStatus(epoch, epochStatus(epoch));
        if (block.number > e.windowEnd) revert ChallengeWindowClosed(epoch, e.windowEnd);
        bytes32 id = _quorum[epoch];
        bytes32 root = _proposals[id].root;
        if (!MerkleProof.verifyCalldata(proof, root, _leafHash(leaf.index, leaf.runId, leaf.player, leaf.gold))) {
            revert InvalidProof();
        }
        Fraud fraud = _fraudOf(epoch, leaf, inputs);

        uint256 round = e.round;
        e.round = uint32(round + 1);
        e.status = EpochStatus.Open;
        e.windowEnd = 0;
        delete _quorum[epoch];
        uint256 slashed = _slashAttesters(id);
        emit RootRejected(epoch, root, msg.sender, round, leaf.runId, fraud, slashed);
    }

    /// @dev What is wrong with `leaf`; reverts if nothing is (`NoFraud`) or the inputs are not the run's.
    function _fraudOf(uint256 epoch, Leaf calldata leaf, bytes calldata inputs) private view returns (Fraud) {
        IRunRegistryTypes.Run memory run = _runs.runOf(leaf.runId);
        if (
            run.status != IRunRegistryTypes.RunStatus.Submitted ||
            run.epoch != epoch ||
            run.index != leaf.index ||
            address(uint160(leaf.runId >> 96)) != leaf.player
        ) return Fraud.LeafContradictsRegistry;
        if (keccak256(inputs) != _runs.inputsHashOf(leaf.runId)) revert InputsMismatch(leaf.runId);
        uint256 gold_ = _replayer.replay(bytes32(uint256(run.seed)), inputs).gold;
        if (gold_ == leaf.gold) revert NoFraud(leaf.runId, gold_);
        return Fraud.WrongGold;
    }

    /// @dev Slashes every attester of proposal `id` (at most `maxAttesters`); the caller is the challenger.
    function _slashAttesters(bytes32 id) private returns (uint256 slashed) {
        uint256[] storage entries = _attesters[id];
        uint256 n = entries.length;
        for (uint256 i; i < n; ++i) {
            slashed += _workers.slash(address(uint160(entries[i] >> 96)), _slashBps, msg.sender, _challengerBps);
        }
    }

    /// @inheritdoc IRewardSettlement
    function finalize(uint256 epoch) external {
        EpochState storage e = _epochs[epoch];
        if (e.status != EpochStatus.Challengeable || block.number <= e.windowEnd) {
            revert WrongEpochStatus(epoch, epochStatus(epoch));
        }
        Proposal storage p = _proposals[_quorum[epoch]];
        (uint256 playerPool, uint256 attesterPool) = _pools(p.totalGold);
        e.status = EpochStatus.Final;
        _finalRoot[epoch] = p.root;
        _ledgers[epoch] = Ledger({playerPool: uint96(playerPool), minted: 0, totalGold: p.totalGold});
        emit EpochFinalized(epoch, p.root, p.totalGold, playerPool, attesterPool);
    }

    // ---------------------------------------------------------------- payouts

    /// @inheritdoc IRewardSettlement
    function claim(address player, RunClaim[] calldata claims) external nonReentrant returns (uint256 amount) {
        if (msg.sender != player && !_runs.isAuthorized(player, msg.sender)) {
            revert NotAuthorized(msg.sender, player);
        }
        uint256 wordIndex = type(uint256).max;
        uint256 word;
        uint256 n = claims.length;
        for (uint256 i; i < n; ++i) {
            RunClaim calldata c = claims[i];
            uint256 runId = c.runId;
            if (runId >> 96 != uint160(player)) revert NotPlayersRun(runId, player);
            uint256 nonce = runId & NONCE_MASK;
            if (nonce >> 8 != wordIndex) {
                if (wordIndex != type(uint256).max) _claimed[player][wordIndex] = word;
                wordIndex = nonce >> 8;
                word = _claimed[player][wordIndex];
            }
            uint256 bit = 1 << (nonce & 255);
            if (word & bit != 0) revert AlreadyClaimed(runId);
            word |= bit;
            amount += _payLeaf(c, player);
        }
        if (wordIndex != type(uint256).max) _claimed[player][wordIndex] = word;
        emit RewardsClaimed(player, amount, n);
        if (amount != 0) _gold.mint(player, amount);
    }

    /// @dev Checks `c`'s leaf against its final epoch and books what it pays in the epoch's ledger.
    function _payLeaf(RunClaim calldata c, address player) private returns (uint256 pay) {
        uint256 epoch = c.epoch;
        bytes32 root = _finalRoot[epoch];
        if (root == bytes32(0)) revert WrongEpochStatus(epoch, epochStatus(epoch));
        if (!MerkleProof.verifyCalldata(c.proof, root, _leafHash(c.index, c.runId, player, c.gold))) {
            revert InvalidProof();
        }
        Ledger storage lk = _ledgers[epoch];
        uint256 pool = lk.playerPool;
        uint256 total = lk.totalGold;
        pay = total == 0 ? 0 : (_boosted(c.gold, c.runId) * pool) / total;
        uint256 minted = uint256(lk.minted) + pay;
        if (minted > pool) revert EpochEmissionExceeded(epoch, pay, pool);
        lk.minted = uint96(minted);
    }

    /// @inheritdoc IRewardSettlement
    function claimAttesterReward(uint256 epoch) external nonReentrant returns (uint256 amount) {
        if (_finalRoot[epoch] == bytes32(0)) revert WrongEpochStatus(epoch, epochStatus(epoch));
        bytes32 id = _quorum[epoch];
        uint256[] storage entries = _attesters[id];
        for (uint256 i; i < entries.length; ++i) {
            uint256 entry = entries[i];
            if (address(uint160(entry >> 96)) != msg.sender) continue;
            uint256 bond = uint96(entry);
            if (bond == 0) break;
            entries[i] = entry & ~uint256(type(uint96).max);
            Proposal storage p = _proposals[id];
            (, uint256 attesterPool) = _pools(p.totalGold);
            amount = (attesterPool * bond) / p.stake;
            emit AttesterRewarded(epoch, msg.sender, amount);
            if (amount != 0) _gold.mint(msg.sender, amount);
            return amount;
        }
        revert NoAttesterReward(epoch, msg.sender);
    }

    /// @inheritdoc IRewardSettlement
    function settleByReplay(uint256 runId, bytes calldata inputs) external nonReentrant returns (uint256 amount) {
        IRunRegistryTypes.Run memory run = _runs.runOf(runId);
        if (run.status != IRunRegistryTypes.RunStatus.Submitted) revert RunNotSubmitted(runId);
        uint256 epoch = run.epoch;
        uint256 from = _epochEnd(epoch) + _fallbackDelay;
        if (block.number < from) revert FallbackNotOpen(epoch, from);
        EpochState storage e = _epochs[epoch];
        if (e.status == EpochStatus.Open) {
            // First replay of the epoch: it settles run by run from now on, up to the cap.
            e.status = EpochStatus.Fallback;
            _ledgers[epoch].playerPool = uint96(_epochCap);
        } else if (e.status != EpochStatus.Fallback) {
            revert WrongEpochStatus(epoch, epochStatus(epoch));
        }
        if (keccak256(inputs) != _runs.inputsHashOf(runId)) revert InputsMismatch(runId);
        address player = address(uint160(runId >> 96));
        uint256 nonce = runId & NONCE_MASK;
        uint256 bits = _claimed[player][nonce >> 8];
        if (bits & (1 << (nonce & 255)) != 0) revert AlreadyClaimed(runId);
        _claimed[player][nonce >> 8] = bits | (1 << (nonce & 255));

        uint256 gold = _replayer.replay(bytes32(uint256(run.seed)), inputs).gold;
        amount = _boosted(gold, runId) * GOLD_PER_POINT;
        Ledger storage lk = _ledgers[epoch];
        uint256 minted = uint256(lk.minted) + amount;
        if (minted > lk.playerPool) revert EpochEmissionExceeded(epoch, amount, lk.playerPool);
        lk.minted = uint96(minted);
        emit RunSettledByReplay(runId, player, epoch, gold, amount);
        if (amount != 0) _gold.mint(player, amount);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRewardSettlement
    function epochStatus(uint256 epoch) public view returns (EpochStatus) {
        EpochState memory e = _epochs[epoch];
        if (e.status == EpochStatus.Challengeable && block.number > e.windowEnd) return EpochStatus.Finalizable;
        if (e.status == EpochStatus.Open && block.number >= _epochEnd(epoch) + _fallbackDelay) {
            return EpochStatus.Fallback;
        }
        return e.status;
    }

    /// @inheritdoc IRewardSettlement
    function rootOf(uint256 epoch) external view returns (bytes32 root, uint256 windowEnd) {
        bytes32 id = _quorum[epoch];
        if (id == bytes32(0)) return (bytes32(0), 0);
        return (_proposals[id].root, _epochs[epoch].windowEnd);
    }

    /// @inheritdoc IRewardSettlement
    function isClaimed(uint256 runId) external view returns (bool) {
        uint256 nonce = runId & NONCE_MASK;
        return _claimed[address(uint160(runId >> 96))][nonce >> 8] & (1 << (nonce & 255)) != 0;
    }

    /// @inheritdoc IRewardSettlement
    function epochMinted(uint256 epoch) external view returns (uint256 minted, uint256 limit) {
        Ledger memory lk = _ledgers[epoch];
        return (lk.minted, lk.playerPool);
    }

    /// @inheritdoc IRewardSettlement
    function roundOf(uint256 epoch) external view returns (uint256) {
        return _epochs[epoch].round;
    }

    /// @inheritdoc IRewardSettlement
    function supportOf(
        uint256 epoch,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold
    ) external view returns (uint256 stake, uint256 attesters) {
        Proposal memory p = _proposals[_proposalId(epoch, _epochs[epoch].round, root, runCount, totalGold)];
        return (p.stake, p.attesters);
    }

    /// @inheritdoc IRewardSettlement
    function gold() external view returns (address) {
        return address(_gold);
    }

    /// @inheritdoc IRewardSettlement
    function replayer() external view returns (address) {
        return address(_replayer);
    }

    /// @inheritdoc IRewardSettlement
    function runs() external view returns (address) {
        return address(_runs);
    }

    /// @inheritdoc IRewardSettlement
    function workers() external view returns (address) {
        return address(_workers);
    }

    /// @inheritdoc IRewardSettlement
    function config() external view returns (Config memory) {
        return
            Config({
                epochCap: _epochCap,
                attesterBps: _attesterBps,
                quorumBps: _quorumBps,
                minAttesters: _minAttesters,
                maxAttesters: _maxAttesters,
                challengeWindow: _challengeWindow,
                fallbackDelay: _fallbackDelay,
                slashBps: _slashBps,
                challengerBps: _challengerBps
            });
    }

    // ---------------------------------------------------------------- internals

    function _epochEnd(uint256 epoch) private view returns (uint256) {
        return _genesisBlock + (epoch + 1) * _epochBlocks;
    }

    /// @dev The pools of an epoch whose runs earned `totalGold` boosted points: emission = min(cap, points * 1 GOLD).
    function _pools(uint256 totalGold) private view returns (uint256 playerPool, uint256 attesterPool) {
        uint256 demand = totalGold * GOLD_PER_POINT;
        uint256 emission = demand < _epochCap ? demand : _epochCap;
        attesterPool = (emission * _attesterBps) / BPS;
        playerPool = emission - attesterPool;
    }

    /// @dev Gold with the boost its run id carries (fixed at startRun).
    function _boosted(uint256 gold_, uint256 runId) private pure returns (uint256) {
        return (gold_ * (BPS + ((runId >> 80) & 0xffff))) / BPS;
    }

    /// @dev keccak256(bytes.concat(keccak256(abi.encode(index, runId, player, gold)))), as StandardMerkleTree hashes
    /// a leaf, in scratch memory (claims hash one leaf per run).
    function _leafHash(uint256 index, uint256 runId, address player, uint256 gold_) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, index)
            mstore(add(m, 0x20), runId)
            mstore(add(m, 0x40), player)
            mstore(add(m, 0x60), gold_)
            mstore(0x00, keccak256(m, 0x80))
            h := keccak256(0x00, 0x20)
        }
    }

    function _proposalId(
        uint256 epoch,
        uint256 round,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, round, root, runCount, totalGold));
    }
}

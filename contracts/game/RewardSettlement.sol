// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IRewardSettlement} from "../interfaces/IRewardSettlement.sol";
import {IRunRegistry, IRunRegistryTypes} from "../interfaces/IRunRegistry.sol";
import {IWorkerRegistry, IWorkerRegistryErrors} from "../interfaces/IWorkerRegistry.sol";
import {SignerSet} from "../libraries/SignerSet.sol";
import {ISurgeReplayer} from "../interfaces/ISurgeReplayer.sol";
import {GoldToken} from "../token/GoldToken.sol";
import {RunId} from "../libraries/RunId.sol";

/// @title RewardSettlement
/// @notice Turns verified runs into GOLD. Per epoch (the RunRegistry's blocks):
/// 1. From the epoch's end, for `fallbackDelay` blocks, anyone may `attest` (one aggregate BLS signature of the
///    eligible workers but a list of non-signers, checked by the WorkerRegistry) the root of the epoch's Merkle
///    sum tree (`IRewardSettlementTypes.Node`): leaf i is the epoch's i-th run id in ascending order, in the clear,
///    with its boosted replayed gold as its sum; the tree has exactly the attested run count of leaves (the rest of
///    its 2^depth positions are empty), and every node commits to the boosted gold under it; the top's sum is the
///    attested total. Nothing on-chain counts an epoch's runs (submissions share no slot): the count is the
///    quorum's, and every way it or the leaves can be wrong is provable (2). A root backed by `quorumBps` of the
///    eligible stake (bonds of workers neither exiting nor slashed: offline and slashed stake never block the
///    honest rest) is challengeable for `challengeWindow` blocks.
/// 2. One challenge rejects a wrong root: `challenge` opens a position (a top sum other than the attested total, an
///    empty position below the run count, a non-empty one past it); `challengeLeaf` a leaf (a run not submitted in
///    the epoch, or, by one replay, a wrong sum); `challengeOrder` two neighbouring leaves not strictly
///    ascending (a run twice, or out of order); `challengeOmission` a submitted run between two neighbours (or
///    before the first, after the last) that skip it; `challengeDepth` a run's leaf above the positions;
///    `challengeNode` a node above the positions that is empty or whose sum is not its children's (paths through
///    such a node never fold, so no position can show it). With the tree's nodes at hand (its leaves are run ids:
///    nothing to reveal), every tree but the honest one is rejected by one of them (docs/SETTLEMENT.md,
///    "Challenges"). The rejection is recorded in the registry, which slashes every signer (`applySlashes`, in
///    batches, before any attestation counts again) and burns the slash whole: nothing flows back to a liar that
///    challenges its own root, and nothing is won by being first. The epoch opens a new round.
/// 3. After the window, `finalize`; players `claim` (many runs and epochs in one call, each run once) and attesters
///    `claimAttesterReward`.
/// 4. If no root is challengeable or final when attestation closes, anyone may `settleByReplay` single runs.
/// @dev Emission: an epoch mints at most `epochCap`. A final epoch's emission is min(cap, total boosted gold * 1
/// GOLD); `attesterBps` of it is the attesters' pool (split by attested bond), the rest the players' pool, split by
/// boosted gold: a run pays `boosted * playerPool / totalGold`. The total is the tree's top sum, which a claim
/// folds its proof to and a challenge can prove wrong, so neither pool rests on an unprovable number.
/// Choices: the quorum is a share of eligible stake, not k workers: k identities are cheap, a stake share is not, so a
/// colluding minority cannot finalize; the first attestation of a round to reach it closes the round's attesting.
/// Attestation closes when the fallback opens, and the constructor requires an unbonding delay longer than that plus
/// the window, so every signer is still bonded while its root can be challenged. Signatures bind chain, contract,
/// epoch, round, root, run count and total (`attestationDigest`).
/// [CAUTION] Challengers need the attested tree: honest workers rebuild it from the chain's events, and a quorum
/// of colluding stake that withholds a different tree is the trust assumption (see docs/SETTLEMENT.md).
contract RewardSettlement is IRewardSettlement, ReentrancyGuardTransient {
    using SafeCast for uint256;

    uint256 private constant BPS = 10_000;
    /// @notice GOLD (18 decimals) per point of boosted gold, below the cap and before the attesters' share.
    uint256 public constant GOLD_PER_POINT = 1e18;
    /// @dev Stride of a proof level in `claim` (ABI Node: hash, sum) and in `claimPacked` (bytes32 hash, uint64 sum).
    uint256 private constant ABI_LEVEL = 0x40;
    uint256 private constant PACKED_LEVEL = 40;
    /// @dev Players are paid in whole micro-GOLD (rounded down), so 64 bits count an epoch's GOLD.
    uint256 private constant MINT_UNIT = 1e12;
    uint256 private constant LANE = (1 << 64) - 1;

    IRunRegistry private immutable _runs;
    IWorkerRegistry private immutable _workers;
    ISurgeReplayer private immutable _replayer;
    GoldToken private immutable _gold;
    uint256 private immutable _genesisBlock;
    uint256 private immutable _epochBlocks;
    uint256 private immutable _epochCap;
    uint256 private immutable _attesterBps;
    uint256 private immutable _quorumBps;
    uint256 private immutable _challengeWindow;
    uint256 private immutable _fallbackDelay;
    uint256 private immutable _slashBps;

    /// @dev Stored status is Open, Challengeable, Final or Fallback; Finalizable is derived (window passed).
    struct EpochState {
        uint32 round;
        uint40 windowEnd;
        EpochStatus status;
    }

    /// @dev A root that reached quorum in one round. Its id hashes (epoch, round, root, runCount, totalGold). Its
    /// signers are the workers eligible at registry version `version` but the non-signers (list hash `nonSigners`);
    /// `stake` is their bonds' sum then.
    struct Proposal {
        bytes32 root;
        uint128 stake;
        uint64 totalGold;
        uint32 runCount;
        uint32 signers;
        uint48 version;
        bytes32 nonSigners;
    }


    /// @dev A leaf being claimed, read from either claim encoding (RunClaim without its proof), and the mint-counter
    /// slot of the claims so far, cached: claims over epochs of one group write their slot once.
    struct Claimed {
        uint256 epoch;
        uint256 index;
        uint256 runId;
        uint256 gold;
        uint256 group; // the cached `_minted` slot's key (NO_GROUP: none yet)
        uint256 lanes; // its value, with what this claim booked so far
    }

    uint256 private constant NO_GROUP = type(uint256).max;

    mapping(uint256 epoch => EpochState) private _epochs;
    /// @dev The proposal that reached quorum in the current round (challengeable, then final).
    mapping(uint256 epoch => bytes32 proposalId) private _quorum;
    mapping(bytes32 proposalId => Proposal) private _proposals;
    /// @dev One bit per signer index: its attester reward of the epoch was paid.
    mapping(uint256 epoch => mapping(uint256 word => uint256 bits)) private _attesterPaid;
    /// @dev keccak256(root, totalGold, depth) of a final epoch: a claim folds its leaf to the root and the total (the
    /// top sum) with a proof of exactly `depth` levels, and checks all three with one cold read.
    mapping(uint256 epoch => bytes32) private _finalCommitment;
    /// @dev GOLD paid to players per epoch (claims and replays), in micro-GOLD, four epochs per slot (64 bits each,
    /// lane `epoch % 4`, holding 1 + the units minted once the epoch is payable): a claim over consecutive epochs
    /// writes a quarter of the slots. Invariant: (lane - 1) * MINT_UNIT never exceeds the epoch's limit (the player
    /// pool of its final root, or the cap for replays).
    mapping(uint256 group => uint256 lanes) private _minted;
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
            cfg.challengeWindow == 0 ||
            cfg.fallbackDelay == 0 ||
            cfg.slashBps > BPS ||
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
        _challengeWindow = cfg.challengeWindow;
        _fallbackDelay = cfg.fallbackDelay;
        _slashBps = cfg.slashBps;
        _gold = new GoldToken(address(this), cfg.epochCap, _genesisBlock, _epochBlocks);
    }

    // ---------------------------------------------------------------- attest, challenge, finalize

    /// @inheritdoc IRewardSettlement
    function attest(
        uint256 epoch,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold,
        uint256[] calldata nonSigners,
        bytes calldata signature
    ) external nonReentrant {
        uint256 round = _checkAttestation(epoch, root, runCount);
        bytes32 id = _proposalId(epoch, round, root, runCount, totalGold);
        Proposal memory p = _signed(id, nonSigners, signature);
        p.root = root;
        p.totalGold = totalGold.toUint64();
        p.runCount = runCount.toUint32();
        _proposals[id] = p;
        uint256 windowEnd = block.number + _challengeWindow;
        EpochState storage e = _epochs[epoch];
        e.status = EpochStatus.Challengeable;
        e.windowEnd = windowEnd.toUint40();
        _quorum[epoch] = id;
        _emitAttested(epoch, round, id, nonSigners);
        emit QuorumReached(epoch, root, round, windowEnd);
    }

    /// @dev Attested for proposal `id`, read back from storage (the attest frame has no stack left for it).
    function _emitAttested(uint256 epoch, uint256 round, bytes32 id, uint256[] calldata nonSigners) private {
        Proposal storage p = _proposals[id];
        emit Attested(epoch, msg.sender, p.root, round, p.runCount, p.totalGold, p.stake, p.signers, nonSigners);
    }

    /// @dev The signers of the attestation `digest` (the registry checks the aggregate signature), as a proposal
    /// without its root; reverts unless they are a quorum: two thirds (quorumBps) of the stake eligible now. An empty
    /// set, or no signer, is never a quorum.
    function _signed(
        bytes32 digest,
        uint256[] calldata nonSigners,
        bytes calldata signature
    ) private view returns (Proposal memory p) {
        (uint256 stake, uint256 eligible, uint256 version, uint256 signers) = _workers.checkSignatures(
            digest,
            nonSigners,
            signature
        );
        if (signers == 0 || stake * BPS < _quorumBps * eligible) revert NoQuorum(stake, eligible);
        p.stake = stake.toUint128();
        p.signers = signers.toUint32();
        p.version = version.toUint48();
        p.nonSigners = SignerSet.hash(nonSigners);
    }

    /// @inheritdoc IRewardSettlement
    function attestationDigest(
        uint256 epoch,
        uint256 round,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold
    ) external view returns (bytes32) {
        return _proposalId(epoch, round, root, runCount, totalGold);
    }

    /// @dev Reverts unless `root` may be attested for `epoch` now; returns the round.
    function _checkAttestation(uint256 epoch, bytes32 root, uint256 runCount) private view returns (uint256 round) {
        uint256 end = _epochEnd(epoch);
        if (block.number < end) revert EpochNotEnded(epoch, end);
        EpochState memory e = _epochs[epoch];
        // Attestation closes when runs may start to settle by replay: then no worker that signed can have left
        // before its root's challenge window closes (the unbonding delay is longer, see the constructor).
        if (e.status != EpochStatus.Open || block.number >= end + _fallbackDelay) {
            revert WrongEpochStatus(epoch, epochStatus(epoch));
        }
        if (root == bytes32(0)) revert ZeroRoot();
        // The count is the quorum's word (no slot counts an epoch's runs): a wrong one is challengeable, as an
        // omitted run (too few) or an empty position below it (too many).
        if (runCount == 0) revert EmptyEpoch(epoch);
        round = e.round;
    }

    /// @inheritdoc IRewardSettlement
    function challenge(
        uint256 epoch,
        uint256 position,
        Node calldata node,
        Node[] calldata proof
    ) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        Fraud fraud = Fraud.WrongTotal;
        if (_open(p, position, node.hash, node.sum, proof)) {
            if (position < p.runCount) {
                // A run position must hold a leaf (`challengeLeaf` checks it); no leaf hashes to 0, whatever the sum.
                if (node.hash != bytes32(0)) revert NoFraud(position);
                fraud = Fraud.Omitted;
            } else {
                if (node.hash == bytes32(0) && node.sum == 0) revert NoFraud(position);
                fraud = Fraud.BeyondCount;
            }
        }
        _reject(epoch, id, p.root, position, fraud);
    }

    /// @inheritdoc IRewardSettlement
    function challengeLeaf(uint256 epoch, LeafOpening calldata leaf, bytes calldata inputs) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        Fraud fraud = _openLeaf(p, leaf) ? _leafFraud(epoch, leaf, inputs) : Fraud.WrongTotal;
        _reject(epoch, id, p.root, leaf.position, fraud);
    }

    /// @inheritdoc IRewardSettlement
    function challengeOrder(
        uint256 epoch,
        LeafOpening calldata left,
        LeafOpening calldata right
    ) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        Fraud fraud = Fraud.WrongTotal;
        if (_openLeaf(p, left)) {
            if (right.position != left.position + 1) revert InvalidProof();
            if (_openLeaf(p, right)) {
                if (left.runId < right.runId) revert NoFraud(left.position);
                fraud = Fraud.Unordered;
            }
        }
        _reject(epoch, id, p.root, left.position, fraud);
    }

    /// @inheritdoc IRewardSettlement
    function challengeOmission(
        uint256 epoch,
        uint256 runId,
        LeafOpening[] calldata neighbours
    ) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        if (!_inEpoch(runId, epoch)) revert RunNotInEpoch(runId, epoch);
        Fraud fraud = _omissionFraud(p, runId, neighbours);
        _reject(epoch, id, p.root, neighbours[0].position, fraud);
    }

    /// @dev What `neighbours` show about run `runId` (of the epoch) in proposal `p`'s tree: a wrong total, or that
    /// the leaves around where it sorts skip it; reverts `NoFraud` if they do not.
    function _omissionFraud(
        Proposal memory p,
        uint256 runId,
        LeafOpening[] calldata neighbours
    ) private pure returns (Fraud) {
        uint256 n = neighbours.length;
        if (n == 0 || n > 2) revert InvalidProof();
        LeafOpening calldata a = neighbours[0];
        if (!_openLeaf(p, a)) return Fraud.WrongTotal;
        bool gap;
        if (n == 1) {
            // Before the first leaf, or after the last.
            gap = (a.position == 0 && runId < a.runId) || (a.position == p.runCount - 1 && runId > a.runId);
        } else {
            LeafOpening calldata b = neighbours[1];
            if (b.position != a.position + 1) revert InvalidProof();
            if (!_openLeaf(p, b)) return Fraud.WrongTotal;
            gap = a.runId < runId && runId < b.runId;
        }
        if (!gap) revert NoFraud(a.position);
        return Fraud.Omitted;
    }

    /// @dev Checks that `(hash, sum)` is the node at `position` of proposal `p`'s tree (`proof` of exactly its
    /// depth) and returns whether the proof's top sum is the attested total (false: the root is WrongTotal).
    function _open(
        Proposal memory p,
        uint256 position,
        bytes32 hash,
        uint256 sum,
        Node[] calldata proof
    ) private pure returns (bool totalRight) {
        uint256 depth = _depth(p.runCount);
        if (proof.length != depth) revert ProofLengthMismatch(proof.length, depth);
        if (position >> depth != 0) revert InvalidProof();
        (bytes32 top, uint256 total) = _fold(position, hash, sum, proof);
        if (top != p.root) revert InvalidProof();
        // A one-run tree is its leaf: the root hash does not bind the top's sum, the attested total is that sum. (A
        // node of any other sum would "prove" a wrong total against an honest root.)
        if (depth == 0 && sum != p.totalGold) revert InvalidProof();
        return total == p.totalGold;
    }

    /// @dev `_open` for a leaf at a run position (below the run count).
    function _openLeaf(Proposal memory p, LeafOpening calldata leaf) private pure returns (bool totalRight) {
        uint256 position = leaf.position;
        if (position >= p.runCount) revert InvalidProof();
        return _open(p, position, bytes32(leaf.runId), leaf.sum, leaf.proof);
    }

    /// @dev Whether run `runId` was submitted in `epoch`.
    function _inEpoch(uint256 runId, uint256 epoch) private view returns (bool) {
        IRunRegistryTypes.Run memory run = _runs.runOf(runId);
        return run.status == IRunRegistryTypes.RunStatus.Submitted && run.epoch == epoch;
    }

    /// @inheritdoc IRewardSettlement
    function challengeDepth(
        uint256 epoch,
        uint256 position,
        Node[] calldata proof,
        uint256 runId,
        uint256 sum
    ) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        uint256 depth = _depth(p.runCount);
        // Above the positions only: at the positions a node is read as a leaf (`challengeLeaf` finds a value that is
        // no run's id), so a node below them never needs showing.
        if (proof.length >= depth) revert ProofLengthMismatch(proof.length, depth);
        if (position >> proof.length != 0) revert InvalidProof();
        (bytes32 top, ) = _fold(position, bytes32(runId), sum, proof);
        if (top != p.root) revert InvalidProof();
        // A node above the positions is a keccak256 output; one that equals a run's id (nobody can make a hash equal
        // a chosen value) is a leaf out of place, hiding the positions under it.
        if (_runs.runOf(runId).status == IRunRegistryTypes.RunStatus.None) revert NoFraud(position);
        _reject(epoch, id, p.root, position, Fraud.WrongDepth);
    }

    /// @inheritdoc IRewardSettlement
    function challengeNode(
        uint256 epoch,
        uint256 position,
        Node calldata node,
        Node calldata left,
        Node calldata right,
        Node[] calldata proof
    ) external nonReentrant {
        (bytes32 id, Proposal memory p) = _challengeable(epoch);
        uint256 depth = _depth(p.runCount);
        // Above the positions only: a node at the positions' level is a leaf or empty, which `challenge` checks.
        if (proof.length >= depth) revert ProofLengthMismatch(proof.length, depth);
        if (position >> proof.length != 0) revert InvalidProof();
        _reject(epoch, id, p.root, position, _nodeFraud(p, position, node, left, right, proof));
    }

    /// @dev What is wrong with `node` (children `left`, `right`) at `position` of the level `proof.length` below the
    /// top of proposal `p`'s tree, above the positions; reverts `NoFraud` if nothing is.
    function _nodeFraud(
        Proposal memory p,
        uint256 position,
        Node calldata node,
        Node calldata left,
        Node calldata right,
        Node[] calldata proof
    ) private pure returns (Fraud) {
        (bytes32 top, uint256 total) = _fold(position, node.hash, node.sum, proof);
        if (top != p.root) revert InvalidProof();
        // The top node's sum is the attested total (the root hash does not bind it); below the top, the node's sum
        // is in its parent's preimage.
        if (proof.length == 0 && node.sum != p.totalGold) revert InvalidProof();
        if (total != p.totalGold) return Fraud.WrongTotal;
        // An empty node above the positions stands for positions that are not there: runs it omits cannot be shown.
        if (node.hash == bytes32(0)) return Fraud.WrongDepth;
        if (keccak256(abi.encode(left.hash, left.sum, right.hash, right.sum)) != node.hash) revert InvalidProof();
        // Sums past 2^256 are wrong too: a wrapped sum would shrink the total and let the rest of the tree be
        // overpaid.
        unchecked {
            uint256 added = left.sum + right.sum;
            if (added < left.sum || added != node.sum) return Fraud.WrongSum;
        }
        revert NoFraud(position);
    }

    /// @dev The proposal of `epoch` that may be challenged now; reverts otherwise.
    function _challengeable(uint256 epoch) private view returns (bytes32 id, Proposal memory p) {
        EpochState memory e = _epochs[epoch];
        if (e.status != EpochStatus.Challengeable) revert WrongEpochStatus(epoch, epochStatus(epoch));
        if (block.number > e.windowEnd) revert ChallengeWindowClosed(epoch, e.windowEnd);
        id = _quorum[epoch];
        p = _proposals[id];
    }

    /// @dev What is wrong with the opened `leaf` (its total right): a run not submitted in `epoch`, else by the
    /// replay of `inputs` (which must be the run's), a sum that is not its boosted gold; reverts `NoFraud` if not.
    function _leafFraud(
        uint256 epoch,
        LeafOpening calldata leaf,
        bytes calldata inputs
    ) private view returns (Fraud) {
        uint256 runId = leaf.runId;
        IRunRegistryTypes.Run memory run = _runs.runOf(runId);
        if (run.status != IRunRegistryTypes.RunStatus.Submitted || run.epoch != epoch) return Fraud.Invented;
        if (keccak256(inputs) != _runs.inputsHashOf(runId)) revert InputsMismatch(runId);
        uint256 gold_ = _replayer.replay(bytes32(uint256(run.seed)), inputs).gold;
        if (leaf.sum != RunId.wrap(runId).boosted(gold_)) return Fraud.WrongLeaf;
        revert NoFraud(leaf.position);
    }

    /// @dev Rejects proposal `id` (root `root`) of `epoch`: a new round opens, and its signers are recorded in the
    /// registry to be slashed (`WorkerRegistry.applySlashes`, in batches): the challenge's gas does not grow with them.
    function _reject(uint256 epoch, bytes32 id, bytes32 root, uint256 position, Fraud fraud) private {
        EpochState storage e = _epochs[epoch];
        uint256 round = e.round;
        e.round = uint32(round + 1);
        e.status = EpochStatus.Open;
        e.windowEnd = 0;
        delete _quorum[epoch];
        Proposal storage p = _proposals[id];
        uint256 signers = p.signers;
        uint256 rejection = _workers.recordRejection(p.version, p.nonSigners, signers, _slashBps);
        emit RootRejected(epoch, root, msg.sender, round, position, fraud, rejection, signers);
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
        _finalCommitment[epoch] = _commitment(p.root, p.totalGold, _depth(p.runCount));
        _openMintCounter(epoch);
        emit EpochFinalized(epoch, p.root, p.totalGold, playerPool, attesterPool);
    }

    // ---------------------------------------------------------------- payouts

    /// @inheritdoc IRewardSettlement
    /// @dev Claims are the hot path of the product (every player, every epoch): both entry points read each claim
    /// straight from calldata and fold proofs in scratch memory (see _payLeaf).
    function claim(address player, RunClaim[] calldata claims) external nonReentrant returns (uint256 amount) {
        _checkClaimer(player);
        uint256 wordIndex = type(uint256).max;
        uint256 word;
        uint256 n = claims.length;
        uint256 base;
        assembly ("memory-safe") {
            base := claims.offset
        }
        Claimed memory leaf; // reused by every claim
        leaf.group = NO_GROUP;
        for (uint256 i; i < n; ) {
            uint256 ptr;
            uint256 runId;
            uint256 proof;
            uint256 proofEnd;
            // claims[i] is at base + (its offset at base + 32 i): epoch, index, runId, gold, proof offset; the proof
            // is a length and (hash, sum) pairs. Reads past the end of calldata give zeros, which can only fail the
            // proof; a length so large that `proofEnd` wraps fails the commitment's depth.
            assembly ("memory-safe") {
                ptr := add(base, calldataload(add(base, shl(5, i))))
                runId := calldataload(add(ptr, 0x40))
                proof := add(ptr, calldataload(add(ptr, 0x80)))
                proofEnd := add(add(proof, 0x20), shl(6, calldataload(proof)))
                proof := add(proof, 0x20)
            }
            (wordIndex, word) = _markClaimed(player, runId, wordIndex, word);
            _leafAt(ptr, runId, leaf);
            amount += _payLeaf(leaf, proof, proofEnd, ABI_LEVEL);
            unchecked {
                ++i;
            }
        }
        _finishClaim(player, amount, n, wordIndex, word, leaf);
    }

    /// @inheritdoc IRewardSettlement
    function claimPacked(address player, bytes calldata claims) external nonReentrant returns (uint256 amount) {
        _checkClaimer(player);
        uint256 wordIndex = type(uint256).max;
        uint256 word;
        uint256 n;
        uint256 p;
        uint256 end;
        assembly ("memory-safe") {
            p := claims.offset
            end := add(p, claims.length)
        }
        Claimed memory leaf; // reused by every claim
        leaf.group = NO_GROUP;
        while (p < end) {
            uint256 proof;
            uint256 proofEnd;
            assembly ("memory-safe") {
                let head := calldataload(p)
                mstore(leaf, shr(224, head)) // epoch
                mstore(add(leaf, 0x20), and(shr(192, head), 0xffffffff)) // index
                mstore(add(leaf, 0x40), calldataload(add(p, 8))) // runId
                let tail := calldataload(add(p, 40))
                mstore(add(leaf, 0x60), shr(224, tail)) // gold
                proof := add(p, 45)
                proofEnd := add(proof, mul(PACKED_LEVEL, byte(4, tail)))
            }
            if (proofEnd > end) revert MalformedClaims(p - _offsetOf(claims));
            p = proofEnd;
            (wordIndex, word) = _markClaimed(player, leaf.runId, wordIndex, word);
            amount += _payLeaf(leaf, proof, proofEnd, PACKED_LEVEL);
            unchecked {
                ++n;
            }
        }
        _finishClaim(player, amount, n, wordIndex, word, leaf);
    }

    function _checkClaimer(address player) private view {
        if (msg.sender != player && !_runs.isAuthorized(player, msg.sender)) {
            revert NotAuthorized(msg.sender, player);
        }
    }

    function _offsetOf(bytes calldata b) private pure returns (uint256 offset) {
        assembly ("memory-safe") {
            offset := b.offset
        }
    }

    /// @dev The ABI-encoded RunClaim at calldata `ptr` (its fields up to the proof, which _payLeaf reads in place).
    function _leafAt(uint256 ptr, uint256 runId, Claimed memory leaf) private pure {
        assembly ("memory-safe") {
            mstore(leaf, calldataload(ptr))
            mstore(add(leaf, 0x20), calldataload(add(ptr, 0x20)))
            mstore(add(leaf, 0x40), runId)
            mstore(add(leaf, 0x60), calldataload(add(ptr, 0x60)))
        }
    }

    /// @dev Sets `runId`'s bit in `player`'s claim bitmap, caching the current word: claims of one player's runs in
    /// nonce order (how clients list them) write one slot per 256 runs. Reverts for another player's run or a paid one.
    function _markClaimed(
        address player,
        uint256 runId,
        uint256 wordIndex,
        uint256 word
    ) private returns (uint256, uint256) {
        if (RunId.wrap(runId).player() != player) revert NotPlayersRun(runId, player);
        uint256 nonce = RunId.wrap(runId).nonce();
        if (nonce >> 8 != wordIndex) {
            if (wordIndex != type(uint256).max) _claimed[player][wordIndex] = word;
            wordIndex = nonce >> 8;
            word = _claimed[player][wordIndex];
        }
        uint256 bit = 1 << (nonce & 255);
        if (word & bit != 0) revert AlreadyClaimed(runId);
        return (wordIndex, word | bit);
    }

    function _finishClaim(
        address player,
        uint256 amount,
        uint256 n,
        uint256 wordIndex,
        uint256 word,
        Claimed memory ledger
    ) private {
        if (wordIndex != type(uint256).max) _claimed[player][wordIndex] = word;
        if (ledger.group != NO_GROUP) _minted[ledger.group] = ledger.lanes;
        emit RewardsClaimed(player, amount, n);
        if (amount != 0) _gold.mint(player, amount);
    }

    /// @dev Checks a claimed leaf against its epoch's commitment with the proof at calldata [proof, proofEnd), levels
    /// of `stride` bytes (a hash, then its sum in a word for the ABI or in 8 bytes packed), and books what it pays
    /// in the epoch's mint counter (the caller checked that the run is the claim's player's). The leaf's sum is the
    /// boosted gold of its run id; the fold gives the root and the epoch's total; the proof's length is the tree's
    /// depth, bound by the commitment.
    function _payLeaf(
        Claimed memory leaf,
        uint256 proof,
        uint256 proofEnd,
        uint256 stride
    ) private returns (uint256 pay) {
        bytes32 commitment = _finalCommitment[leaf.epoch];
        if (commitment == bytes32(0)) revert WrongEpochStatus(leaf.epoch, epochStatus(leaf.epoch));
        // A root's total is a uint64 (the commitment binds the proposal's); a gold above 2^64 can only be a forged
        // leaf. With both bounded, boosted gold < 2^81 and playerPool < 2^96 (the cap's bound): nothing overflows.
        if (leaf.gold > type(uint64).max) revert InvalidProof();
        uint256 boosted = RunId.wrap(leaf.runId).boosted(leaf.gold);
        uint256 s = boosted;
        assembly ("memory-safe") {
            // A proof that ends before it starts (an ABI length that wraps) gives a depth no commitment has.
            let depth := div(sub(proofEnd, proof), stride)
            // The leaf's hash is its run id (see `Node`).
            let h := mload(add(leaf, 0x40))
            // Position-bound: bit k of the index says whether the node is the right child at level k. The parent is
            // keccak256(left.hash, left.sum, right.hash, right.sum), built in memory 0x00-0x7f (scratch space, the
            // free memory pointer and the zero slot, both restored below): the node at `b`, its sibling at `b ^ 0x40`.
            let fmp := mload(0x40)
            let index := mload(add(leaf, 0x20))
            // One index per leaf: bits past the depth would fold as the ones below them (the same leaf, paid once
            // all the same), so a claim names its leaf's position exactly.
            if shr(depth, index) {
                mstore(0x00, 0x09bde339) // InvalidProof()
                revert(0x1c, 0x04)
            }
            // Two levels per iteration (the loop's own jumps are a fifth of a level's cost), then the odd one.
            switch eq(stride, PACKED_LEVEL)
            case 0 {
                for {} lt(add(proof, ABI_LEVEL), proofEnd) {
                    proof := add(proof, 0x80)
                } {
                    let b := shl(6, and(index, 1))
                    let siblingSum := calldataload(add(proof, 0x20))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(proof))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                    b := shl(5, and(index, 2)) // the next level's bit (bit 1), as 0 or 0x40
                    siblingSum := calldataload(add(proof, 0x60))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(add(proof, 0x40)))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                    index := shr(2, index)
                }
                if lt(proof, proofEnd) {
                    let b := shl(6, and(index, 1))
                    let siblingSum := calldataload(add(proof, 0x20))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(proof))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                }
            }
            default {
                for {} lt(add(proof, PACKED_LEVEL), proofEnd) {
                    proof := add(proof, 80)
                } {
                    let b := shl(6, and(index, 1))
                    let siblingSum := shr(192, calldataload(add(proof, 0x20)))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(proof))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                    b := shl(5, and(index, 2))
                    siblingSum := shr(192, calldataload(add(proof, 72)))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(add(proof, 40)))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                    index := shr(2, index)
                }
                if lt(proof, proofEnd) {
                    let b := shl(6, and(index, 1))
                    let siblingSum := shr(192, calldataload(add(proof, 0x20)))
                    mstore(b, h)
                    mstore(or(b, 0x20), s)
                    mstore(xor(b, 0x40), calldataload(proof))
                    mstore(xor(b, 0x60), siblingSum)
                    h := keccak256(0x00, 0x80)
                    s := add(s, siblingSum)
                }
            }
            // The commitment keccak256(root, total, depth) of what the proof folds to.
            mstore(0x00, h)
            mstore(0x20, s)
            mstore(0x40, depth)
            if iszero(eq(keccak256(0x00, 0x60), commitment)) {
                mstore(0x00, 0x09bde339) // InvalidProof()
                revert(0x1c, 0x04)
            }
            mstore(0x40, fmp)
            mstore(0x60, 0)
        }
        // The commitment binds the proposal's total, a uint64: s is it.
        (uint256 playerPool, ) = _pools(s);
        if (s != 0) {
            unchecked {
                pay = (boosted * playerPool) / s;
                pay -= pay % MINT_UNIT;
            }
        }
        _bookCached(leaf, leaf.epoch, pay, playerPool);
    }

    /// @dev Sets `epoch`'s lane to 1 (nothing minted; a lane holds `1 + minted units`) when it becomes payable, so the
    /// slot is non-zero before any claim: claims then update it for 2,900 gas, never create it for 20,000.
    function _openMintCounter(uint256 epoch) private {
        _minted[epoch >> 2] |= 1 << ((epoch & 3) << 6);
    }

    /// @dev `_book` on the mint-counter slot cached in `c` (loaded when the claim moves to another group, the one
    /// before written back; `_finishClaim` writes the last).
    function _bookCached(Claimed memory c, uint256 epoch, uint256 amount, uint256 limit) private {
        uint256 group = epoch >> 2;
        if (group != c.group) {
            if (c.group != NO_GROUP) _minted[c.group] = c.lanes;
            c.group = group;
            c.lanes = _minted[group];
        }
        uint256 shift = (epoch & 3) << 6;
        uint256 lanes = c.lanes;
        // As in `_book`: amount < 2^96 and a lane < 2^64, no overflow; the lane is >= 1 once payable.
        unchecked {
            uint256 lane = ((lanes >> shift) & LANE) + amount / MINT_UNIT;
            if ((lane - 1) * MINT_UNIT > limit) revert EpochEmissionExceeded(epoch, amount, limit);
            c.lanes = (lanes & ~(LANE << shift)) | (lane << shift);
        }
    }

    /// @dev Adds `amount` (a multiple of MINT_UNIT) to `epoch`'s GOLD paid to players; reverts past `limit`.
    function _book(uint256 epoch, uint256 amount, uint256 limit) private {
        uint256 shift = (epoch & 3) << 6;
        uint256 lanes = _minted[epoch >> 2];
        uint256 lane;
        // amount < 2^96 (a pay or a replay under the cap) and a lane < 2^64: no overflow. The lane is >= 1 (opened
        // when the epoch became payable), so `lane - 1` units are minted.
        unchecked {
            lane = ((lanes >> shift) & LANE) + amount / MINT_UNIT;
            if ((lane - 1) * MINT_UNIT > limit) revert EpochEmissionExceeded(epoch, amount, limit);
        }
        _minted[epoch >> 2] = (lanes & ~(LANE << shift)) | (lane << shift);
    }

    /// @dev keccak256(root, totalGold, depth), past the free memory pointer.
    function _commitment(bytes32 root, uint256 totalGold, uint256 depth) private pure returns (bytes32 c) {
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, root)
            mstore(add(m, 0x20), totalGold)
            mstore(add(m, 0x40), depth)
            c := keccak256(m, 0x60)
        }
    }

    /// @dev Folds `(hash, sum)` at `position` up through `proof` (siblings from the bottom up), as `_payLeaf` does.
    function _fold(
        uint256 position,
        bytes32 hash,
        uint256 sum,
        Node[] calldata proof
    ) private pure returns (bytes32, uint256) {
        uint256 n = proof.length;
        for (uint256 i; i < n; ++i) {
            Node calldata sib = proof[i];
            unchecked {
                hash = (position >> i) & 1 == 0
                    ? keccak256(abi.encode(hash, sum, sib.hash, sib.sum))
                    : keccak256(abi.encode(sib.hash, sib.sum, hash, sum));
                sum += sib.sum;
            }
        }
        return (hash, sum);
    }

    /// @dev The depth of a tree of `runCount` leaves: the least d with 2^d >= runCount.
    function _depth(uint256 runCount) private pure returns (uint256 d) {
        while ((1 << d) < runCount) ++d;
    }

    /// @inheritdoc IRewardSettlement
    function claimAttesterReward(
        uint256 epoch,
        uint256 index,
        uint256[] calldata nonSigners
    ) external nonReentrant returns (uint256 amount) {
        if (_finalCommitment[epoch] == bytes32(0)) revert WrongEpochStatus(epoch, epochStatus(epoch));
        Proposal storage p = _proposals[_quorum[epoch]];
        (address worker, uint256 bond, bool cleared) = _workers.signerInfo(index, p.version);
        // A signer: in the set at the attestation's version and not in its (committed) non-signer list.
        if (bond == 0 || SignerSet.hash(nonSigners) != p.nonSigners || SignerSet.contains(nonSigners, index)) {
            revert NoAttesterReward(epoch, worker);
        }
        // Checked against every rejection first: a signer of a wrong root is slashed before it is paid.
        if (!cleared) revert IWorkerRegistryErrors.NotCleared(index);
        uint256 bit = 1 << (index & 255);
        uint256 word = _attesterPaid[epoch][index >> 8];
        if (word & bit != 0) revert NoAttesterReward(epoch, worker);
        _attesterPaid[epoch][index >> 8] = word | bit;
        (, uint256 attesterPool) = _pools(p.totalGold);
        // The signers' bonds at the version add up to the signed stake: the pool is never overpaid.
        amount = (attesterPool * bond) / p.stake;
        emit AttesterRewarded(epoch, worker, amount);
        if (amount != 0) _gold.mint(worker, amount);
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
            _openMintCounter(epoch);
        } else if (e.status != EpochStatus.Fallback) {
            revert WrongEpochStatus(epoch, epochStatus(epoch));
        }
        if (keccak256(inputs) != _runs.inputsHashOf(runId)) revert InputsMismatch(runId);
        address player = RunId.wrap(runId).player();
        uint256 nonce = RunId.wrap(runId).nonce();
        uint256 bits = _claimed[player][nonce >> 8];
        if (bits & (1 << (nonce & 255)) != 0) revert AlreadyClaimed(runId);
        _claimed[player][nonce >> 8] = bits | (1 << (nonce & 255));

        uint256 gold = _replayer.replay(bytes32(uint256(run.seed)), inputs).gold;
        amount = RunId.wrap(runId).boosted(gold) * GOLD_PER_POINT;
        _book(epoch, amount, _epochCap);
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
        uint256 nonce = RunId.wrap(runId).nonce();
        return _claimed[RunId.wrap(runId).player()][nonce >> 8] & (1 << (nonce & 255)) != 0;
    }

    /// @inheritdoc IRewardSettlement
    function epochMinted(uint256 epoch) external view returns (uint256 minted, uint256 limit) {
        uint256 lane = (_minted[epoch >> 2] >> ((epoch & 3) << 6)) & LANE;
        minted = lane == 0 ? 0 : (lane - 1) * MINT_UNIT;
        EpochStatus status = _epochs[epoch].status;
        if (status == EpochStatus.Final) (limit, ) = _pools(_proposals[_quorum[epoch]].totalGold);
        else if (status == EpochStatus.Fallback) limit = _epochCap;
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
        return (p.stake, p.signers);
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
                challengeWindow: _challengeWindow,
                fallbackDelay: _fallbackDelay,
                slashBps: _slashBps
            });
    }

    // ---------------------------------------------------------------- internals

    function _epochEnd(uint256 epoch) private view returns (uint256) {
        return _genesisBlock + (epoch + 1) * _epochBlocks;
    }

    /// @dev The pools of an epoch whose runs earned `totalGold` boosted points: emission = min(cap, points * 1 GOLD).
    /// Callers pass a root's total (a uint64): nothing overflows.
    function _pools(uint256 totalGold) private view returns (uint256 playerPool, uint256 attesterPool) {
        unchecked {
            uint256 demand = totalGold * GOLD_PER_POINT;
            uint256 emission = demand < _epochCap ? demand : _epochCap;
            attesterPool = (emission * _attesterBps) / BPS;
            playerPool = emission - attesterPool;
        }
    }

    /// @inheritdoc IRewardSettlement
    function leafNode(uint256 runId, uint256 gold_) external pure returns (Node memory) {
        return Node({hash: bytes32(runId), sum: RunId.wrap(runId).boosted(gold_)});
    }

    /// @inheritdoc IRewardSettlement
    function treeDepth(uint256 runCount) external pure returns (uint256) {
        return _depth(runCount);
    }

    /// @dev A proposal's id is what its signers sign (`attestationDigest`).
    function _proposalId(
        uint256 epoch,
        uint256 round,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold
    ) private view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), epoch, round, root, runCount, totalGold));
    }
}

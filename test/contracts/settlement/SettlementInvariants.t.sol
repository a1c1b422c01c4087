// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, Vm} from "forge-std/Test.sol";
import {IRewardSettlementTypes, IRewardSettlementEvents} from "../../../contracts/interfaces/IRewardSettlement.sol";
import {IRunRegistryTypes} from "../../../contracts/interfaces/IRunRegistry.sol";
import {RewardSettlement} from "../../../contracts/game/RewardSettlement.sol";
import {RunRegistry} from "../../../contracts/game/RunRegistry.sol";
import {SurgeReplayer} from "../../../contracts/game/SurgeReplayer.sol";
import {WorkerRegistry} from "../../../contracts/depin/WorkerRegistry.sol";
import {GoldToken} from "../../../contracts/token/GoldToken.sol";
import {MockHookToken} from "../../../contracts/mocks/MockHookToken.sol";
import {BLSTestSigner} from "../../../contracts/mocks/BLSTestSigner.sol";
import {BLS} from "../../../contracts/libraries/BLS.sol";
import {SettlementDeploy} from "./SettlementDeploy.sol";

/// @notice Drives players, workers and challengers against the settlement stack. Workers attest honest roots or,
/// when `settleNext`'s `mode` says so, one of the wrong trees of issues 12 and 17 (a wrong gold, an omitted run, an
/// invented leaf, a run of another epoch, a duplicated or swapped run, an overstated run count, a wrong total, a
/// non-empty padding position, a leaf with a wrong sum, a leaf above the positions, an inner sum that is not its
/// children's, an empty inner node), which the handler then rejects with ONE challenge (`challenge`, `challengeLeaf`,
/// `challengeOrder`, `challengeOmission`, `challengeDepth` or `challengeNode`) and whose signers it then slashes with
/// `applySlashes`; rejected epochs settle run by run through the fallback. Attestations are aggregate BLS signatures
/// (BLSTestSigner) of the eligible workers but a few non-signers that `at` picks. Honest roots are challenged too (a
/// position, a leaf, a pair of neighbours and an omission), and must survive. Players claim what is final.
/// @dev The Merkle sum tree is restated here from IRewardSettlementTypes.Node (levels of Node, bottom up): an epoch's
/// runs sorted by run id, counted by the handler (the registry counts nothing).
contract SettlementHandler is Test {
    uint256 internal constant EPOCH_BLOCKS = 30;
    uint256 internal constant WINDOW = 5;
    uint256 internal constant FALLBACK = 20;
    uint256 internal constant BOND = 1e21;
    /// @dev Lies are modes 1..MODES; 0 and MODES + 1 are honest.
    uint256 internal constant MODES = 14;

    RunRegistry public immutable runs;
    WorkerRegistry public immutable workers;
    RewardSettlement public immutable settlement;
    GoldToken public immutable gold;
    MockHookToken public immutable share;
    SurgeReplayer public immutable replayer;

    address[3] public players;
    address[] public workerSet;
    address public challenger = makeAddr("challenger");

    struct PlayedRun {
        uint256 runId;
        uint256 epoch;
        uint256 inputsKind;
    }

    /// @dev A tree as attested: its leaves in tree order (run ids and raw golds), its run count, at most one node
    /// replaced (`hasNode`: the node at (height, index); `leafAbove`: a run's leaf above the positions), and the
    /// attested total moved by `totalDelta`. `position` is where the lie's challenge opens it; `omitted` the run a
    /// `challengeOmission` names.
    struct Tree {
        uint256 mode;
        uint256 count;
        uint256[] ids;
        uint256[] golds;
        bool hasNode;
        bool leafAbove;
        uint256 height;
        uint256 index;
        IRewardSettlementTypes.Node node;
        uint256 totalDelta;
        uint256 position;
        uint256 omitted;
    }

    bytes[4] internal _inputs;
    PlayedRun[] internal _runs;
    /// @dev 1 + the run's index in `_runs`.
    mapping(uint256 runId => uint256) internal _slotOf;
    mapping(uint256 epoch => uint256[] runIndexes) internal _epochRuns;
    /// @dev Runs the handler saw verified: in a final root or replayed on-chain.
    mapping(uint256 runId => bool) public verified;
    mapping(address worker => uint256) public ghost_bondedIn;
    uint256 public ghost_minted;
    uint256 public ghost_challenges;
    /// @dev Wrong roots that reached quorum and were not rejected by their one challenge (must stay 0).
    uint256 public ghost_liesKept;
    /// @dev Honest roots a challenge rejected (must stay 0).
    uint256 public ghost_honestRejected;
    /// @dev Signers of a rejected root that lost less than the full slash, or non-signers that lost anything (must
    /// stay 0).
    uint256 public ghost_unslashed;
    mapping(address worker => uint256) public secretKeyOf;
    /// @dev Slashed sgETH that went anywhere but the burn address (must stay 0).
    uint256 public ghost_slashLeaked;
    uint256 public ghost_finals;
    uint256 public ghost_replays;
    mapping(uint8 fraud => uint256) public ghost_rejectedBy;
    /// @dev Lies rejected for another fraud than the one they are (must stay 0).
    uint256 public ghost_wrongFraud;
    uint256 internal _nextEpoch;

    constructor(
        RunRegistry runs_,
        WorkerRegistry workers_,
        RewardSettlement settlement_,
        MockHookToken share_,
        SurgeReplayer replayer_
    ) {
        runs = runs_;
        workers = workers_;
        settlement = settlement_;
        gold = GoldToken(settlement_.gold());
        share = share_;
        replayer = replayer_;
        for (uint256 i; i < 3; ++i) players[i] = makeAddr(string.concat("player", vm.toString(i)));
        _inputs[0] = hex"010000";
        _inputs[1] = hex"0100409f9f";
        _inputs[2] = hex"0100128b25";
        _inputs[3] = hex"0100209f";
    }

    function addWorker(address w, uint256 bond) external {
        _addWorker(w, bond);
    }

    function _addWorker(address w, uint256 bond) private {
        uint256 sk = BLSTestSigner.secretKey(bytes32(uint256(uint160(w))));
        secretKeyOf[w] = sk;
        SettlementDeploy.registerWorker(share, workers, w, bond, sk);
        workerSet.push(w);
        ghost_bondedIn[w] += bond;
    }

    function workerCount() external view returns (uint256) {
        return workerSet.length;
    }

    function runCount() external view returns (uint256) {
        return _runs.length;
    }

    function runAt(uint256 i) external view returns (PlayedRun memory) {
        return _runs[i];
    }

    // ---------------------------------------------------------------- players

    /// Up to `count` players start a run in one block; two blocks later (the seed block exists) they submit.
    function play(uint256 count, uint256 inputsSeed) external {
        count = bound(count, 1, 3);
        uint256[3] memory ids;
        for (uint256 i; i < count; ++i) {
            vm.prank(players[i]);
            try runs.startRun() returns (uint256 runId, uint256 seedBlock) {
                assertEq(seedBlock, block.number + 1);
                ids[i] = runId;
            } catch {}
        }
        vm.roll(block.number + 2);
        for (uint256 i; i < count; ++i) {
            if (ids[i] == 0) continue;
            uint256 kind = (inputsSeed >> (8 * i)) % 4;
            vm.prank(players[i]);
            uint256 epoch = runs.submitRun(ids[i], _inputs[kind]);
            _epochRuns[epoch].push(_runs.length);
            _runs.push(PlayedRun(ids[i], epoch, kind));
            _slotOf[ids[i]] = _runs.length;
        }
    }

    function advance(uint256 blocks) external {
        vm.roll(block.number + bound(blocks, 1, 15));
    }

    function claim(uint256 playerSeed) external {
        address p = players[playerSeed % 3];
        IRewardSettlementTypes.RunClaim[] memory claims = new IRewardSettlementTypes.RunClaim[](_runs.length);
        uint256 n;
        for (uint256 i; i < _runs.length; ++i) {
            PlayedRun memory r = _runs[i];
            if (address(uint160(r.runId >> 96)) != p || settlement.isClaimed(r.runId)) continue;
            if (settlement.epochStatus(r.epoch) != IRewardSettlementTypes.EpochStatus.Final) continue;
            Tree memory t = _honest(r.epoch);
            IRewardSettlementTypes.Node[][] memory levels = _levels(t);
            uint256 position = _rankOf(t, r.runId);
            claims[n++] = IRewardSettlementTypes.RunClaim({
                epoch: r.epoch,
                index: position,
                runId: r.runId,
                gold: t.golds[position],
                proof: _proof(levels, position, 0)
            });
        }
        assembly ("memory-safe") {
            mstore(claims, n)
        }
        if (n == 0) return;
        vm.prank(p);
        if ((playerSeed / 3) % 2 == 0) {
            ghost_minted += settlement.claim(p, claims);
            return;
        }
        // The same claims, packed as claimPacked reads them.
        bytes memory packed;
        for (uint256 i; i < n; ++i) {
            IRewardSettlementTypes.RunClaim memory c = claims[i];
            packed = abi.encodePacked(packed, uint32(c.epoch), uint32(c.index), c.runId, uint32(c.gold));
            packed = abi.encodePacked(packed, uint8(c.proof.length));
            for (uint256 k; k < c.proof.length; ++k) {
                packed = abi.encodePacked(packed, c.proof[k].hash, uint64(c.proof[k].sum));
            }
        }
        ghost_minted += settlement.claimPacked(p, packed);
    }

    // ---------------------------------------------------------------- workers

    /// Settles the next ended epoch: honestly (`mode` 0 or > MODES: then the honest root is challenged in four ways and
    /// must survive), or with the wrong tree `mode` names, which ONE challenge must reject; its epoch then falls back
    /// to on-chain replay.
    function settleNext(uint256 mode, uint256 at) external {
        // Skip ended epochs without runs.
        while (_epochRuns[_nextEpoch].length == 0 && block.number >= runs.epochEnd(_nextEpoch)) _nextEpoch++;
        uint256 epoch = _nextEpoch;
        uint256 end = runs.epochEnd(epoch);
        if (block.number < end) return;
        _nextEpoch++;
        if (_epochRuns[epoch].length == 0) return;
        if (block.number >= end + FALLBACK) {
            _fallback(epoch); // too late to attest
            return;
        }
        Tree memory t = _lie(epoch, mode % (MODES + 2), at);
        IRewardSettlementTypes.Node[][] memory levels = _levels(t);
        IRewardSettlementTypes.Node memory top = levels[levels.length - 1][0];
        uint256 total;
        unchecked {
            total = top.sum + t.totalDelta; // a delta of 2^256 - 1 understates by one
        }
        // The eligible workers sign, but those `at` leaves out (every fifth from an offset): slashed workers keep what
        // is left of their bond in the total, so after a few lies only the fresh ones together are a quorum.
        Attestation memory att = _sign(epoch, top.hash, t.count, total, at);
        try settlement.attest(epoch, top.hash, t.count, total, att.nonSigners, att.signature) {} catch {
            _fallback(epoch); // no quorum
            return;
        }
        if (t.mode == 0) _finalizeHonest(epoch, t, levels, at, att.nonSigners);
        else _rejectLie(epoch, t, levels, total, att);
    }

    struct Attestation {
        uint256[] nonSigners;
        bytes signature;
        address[] signers;
    }

    /// @dev The aggregate signature of (epoch, round, root, n, total) by the eligible workers but every fifth from
    /// offset `at % 5` (none if that leaves no quorum... the settlement decides: it may refuse it).
    function _sign(
        uint256 epoch,
        bytes32 root,
        uint256 n,
        uint256 total,
        uint256 at
    ) private view returns (Attestation memory a) {
        bytes32 digest = settlement.attestationDigest(epoch, settlement.roundOf(epoch), root, n, total);
        a.nonSigners = new uint256[](workerSet.length);
        a.signers = new address[](workerSet.length);
        uint256 nNon;
        uint256 nSig;
        for (uint256 i; i < workerSet.length; ++i) {
            address w = workerSet[i];
            if (!workers.isEligible(w)) continue;
            uint256 index = workers.workerOf(w).index;
            if ((index + at) % 5 == 0) {
                a.nonSigners[nNon++] = index;
                continue;
            }
            bytes memory sig = BLSTestSigner.sign(secretKeyOf[w], abi.encodePacked(digest), workers.ATTESTATION_DST());
            a.signature = nSig == 0 ? sig : BLSTestSigner.addG2(a.signature, sig);
            a.signers[nSig++] = w;
        }
        if (nSig == 0) a.signature = new bytes(256);
        uint256[] memory nonSigners = a.nonSigners;
        address[] memory signers = a.signers;
        assembly ("memory-safe") {
            mstore(nonSigners, nNon)
            mstore(signers, nSig)
        }
    }

    function _finalizeHonest(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 at,
        uint256[] memory nonSigners
    ) private {
        // An honest root survives a challenge of any position, of any leaf, of any two neighbours, and any omission.
        uint256 total = levels[levels.length - 1][0].sum;
        (bool ok, ) = _challengePosition(epoch, levels, at % levels[0].length, total);
        if (ok) ++ghost_honestRejected;
        uint256 p = at % t.count;
        (ok, ) = _challengeLeaf(epoch, t, levels, p);
        if (ok) ++ghost_honestRejected;
        if (t.count > 1) {
            (ok, ) = _challengeOrder(epoch, t, levels, at % (t.count - 1));
            if (ok) ++ghost_honestRejected;
        }
        // A run that is there, shown with the leaves around it (itself among them), is no omission.
        (ok, ) = _challengeOmission(epoch, t, levels, t.ids[p]);
        if (ok) ++ghost_honestRejected;
        vm.roll(block.number + WINDOW + 1);
        settlement.finalize(epoch);
        ++ghost_finals;
        uint256[] storage idx = _epochRuns[epoch];
        for (uint256 i; i < idx.length; ++i) verified[_runs[idx[i]].runId] = true;
        for (uint256 i; i < workerSet.length; ++i) {
            try settlement.claimAttesterReward(epoch, workers.workerOf(workerSet[i]).index, nonSigners) returns (
                uint256 amount
            ) {
                ghost_minted += amount;
            } catch {}
        }
    }

    function _rejectLie(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 total,
        Attestation memory att
    ) private {
        uint256[] memory bonds = new uint256[](workerSet.length);
        for (uint256 i; i < workerSet.length; ++i) bonds[i] = workers.workerOf(workerSet[i]).bond;
        uint256 burned = share.balanceOf(address(0xdEaD));
        uint256 challengerShares = share.balanceOf(challenger);
        (bool rejected, uint8 fraud) = _challengeLie(epoch, t, levels, total);
        if (!rejected || settlement.epochStatus(epoch) != IRewardSettlementTypes.EpochStatus.Open) {
            ++ghost_liesKept;
            vm.roll(block.number + WINDOW + 1);
            settlement.finalize(epoch);
            return;
        }
        if (fraud != _expectedFraud(t)) ++ghost_wrongFraud;
        ++ghost_challenges;
        ++ghost_rejectedBy[fraud];
        _applySlashes(att, bonds, burned, challengerShares);
        // The signers are out; three fresh workers, each bonding what is bonded now, keep a quorum possible.
        uint256 fresh = workers.totalBonded() + BOND;
        for (uint256 i; i < 3; ++i) {
            _addWorker(makeAddr(string.concat("fresh", vm.toString(workerSet.length))), fresh);
        }
        _fallback(epoch);
    }

    /// @dev Slashes the signers of the rejection just recorded and checks that each signer lost exactly the slash,
    /// each non-signer nothing, and that all of it was burned.
    function _applySlashes(
        Attestation memory att,
        uint256[] memory bonds,
        uint256 burned,
        uint256 challengerShares
    ) private {
        if (workers.pendingSlashes() != att.signers.length) ++ghost_unslashed;
        // Anyone slashes the signers, in two batches over every index (non-signers are only cleared).
        uint256 count = workers.workerCount();
        uint256[] memory all = new uint256[](count);
        for (uint256 i; i < count; ++i) all[i] = i;
        uint256[] memory half = new uint256[](count / 2);
        for (uint256 i; i < count / 2; ++i) half[i] = i;
        uint256 rejection = workers.rejectionCount() - 1;
        workers.applySlashes(rejection, att.nonSigners, half);
        workers.applySlashes(rejection, att.nonSigners, all);
        if (workers.pendingSlashes() != 0) ++ghost_unslashed;
        uint256 slashed;
        for (uint256 i; i < workerSet.length; ++i) {
            bool signer;
            for (uint256 j; j < att.signers.length; ++j) signer = signer || att.signers[j] == workerSet[i];
            uint256 cut = signer ? (bonds[i] * 5_000) / 10_000 : 0;
            if (workers.workerOf(workerSet[i]).bond != bonds[i] - cut) ++ghost_unslashed;
            slashed += cut;
        }
        if (share.balanceOf(address(0xdEaD)) - burned != slashed) ++ghost_slashLeaked;
        if (share.balanceOf(challenger) != challengerShares) ++ghost_slashLeaked;
    }

    /// @dev The tree attested for `epoch` under `mode`: the honest tree, or the lie `mode` names (the honest tree,
    /// mode 0, if the epoch's shape does not allow it).
    function _lie(uint256 epoch, uint256 mode, uint256 at) private view returns (Tree memory t) {
        t = _honest(epoch);
        uint256 n = t.count;
        uint256 depth = settlement.treeDepth(n);
        uint256 pos = at % n;
        t.mode = mode;
        t.position = pos;
        if (mode == 1) {
            // A wrong gold value at `pos`.
            t.golds[pos] += 1;
        } else if (mode == 2 && n > 1) {
            // An omitted run: the others close ranks, counted one less.
            t.omitted = t.ids[pos];
            t.ids = _without(t.ids, pos);
            t.golds = _without(t.golds, pos);
            t.count = n - 1;
        } else if (mode == 3) {
            // An invented leaf in a run's place: no run has its id.
            t.ids[pos] = uint256(keccak256(abi.encode(at)));
            t.golds[pos] = 7;
        } else if (mode == 4) {
            // An overstated total.
            t.totalDelta = 1 + (at % 1000);
            t.position = 0;
        } else if (mode == 5) {
            // An understated total: one point short (a tree without gold cannot be understated: overstated then).
            uint256 top = _levels(t)[depth][0].sum;
            t.totalDelta = top > 0 ? type(uint256).max : 2;
            t.position = 0;
        } else if (mode == 6 && n < (1 << depth)) {
            // A non-empty padding position.
            _setNode(t, 0, n, IRewardSettlementTypes.Node(keccak256(abi.encode(at)), at % 3));
            t.position = n;
        } else if (mode == 7) {
            // A run's leaf with the right hash but another sum.
            IRewardSettlementTypes.Node memory leaf = settlement.leafNode(t.ids[pos], t.golds[pos]);
            _setNode(t, 0, pos, IRewardSettlementTypes.Node(leaf.hash, leaf.sum + 1 + (at % 5)));
        } else if (mode == 8 && depth >= 1) {
            // A leaf one level up: the runs under it are gone.
            _setNode(t, 1, 0, settlement.leafNode(t.ids[0], t.golds[0]));
            t.leafAbove = true;
        } else if (mode == 9 && depth >= 1) {
            // An inner node whose sum is not its children's (the total follows it).
            uint256 h = 1 + (at % depth);
            IRewardSettlementTypes.Node memory node = _levels(t)[h][0];
            _setNode(t, h, 0, IRewardSettlementTypes.Node(node.hash, node.sum + 1000));
        } else if (mode == 10 && depth >= 2) {
            // An empty inner node: the positions under it (and their runs) are omitted.
            _setNode(t, 1, (n - 1) >> 1, IRewardSettlementTypes.Node(bytes32(0), 0));
        } else if (mode == 11 && n > 1) {
            // A duplicated run: a position holds its left neighbour's run again (the run there left out).
            uint256 q = pos == 0 ? 1 : pos;
            (t.ids[q], t.golds[q]) = (t.ids[q - 1], t.golds[q - 1]);
            t.position = q - 1;
        } else if (mode == 12 && n > 1) {
            // Two neighbouring runs swapped: each misplaced.
            uint256 q = pos % (n - 1);
            (t.ids[q], t.ids[q + 1]) = (t.ids[q + 1], t.ids[q]);
            (t.golds[q], t.golds[q + 1]) = (t.golds[q + 1], t.golds[q]);
            t.position = q;
        } else if (mode == 13) {
            // The run count overstated: an empty position below the count.
            t.count = n + 1;
            t.position = n;
        } else if (mode == 14 && _otherEpochRun(epoch) != 0) {
            // A run submitted in another epoch, with its true gold, in a run's place.
            t.ids[pos] = _otherEpochRun(epoch);
            t.golds[pos] = _goldOf(t.ids[pos]);
        } else {
            t.mode = 0;
        }
    }

    function _setNode(
        Tree memory t,
        uint256 height,
        uint256 index,
        IRewardSettlementTypes.Node memory node
    ) private pure {
        (t.hasNode, t.height, t.index, t.node) = (true, height, index, node);
    }

    /// @dev The fraud the one challenge of `t` shows.
    function _expectedFraud(Tree memory t) private pure returns (uint8) {
        uint256 m = t.mode;
        // A leaf is its run id in the clear and its sum: a wrong gold, a wrong sum and a one-run tree's wrong total
        // (its top is its leaf) are all a sum that is not the replayed gold, boosted.
        if (m == 1 || m == 7) return uint8(IRewardSettlementTypes.Fraud.WrongLeaf);
        if (m == 2 || m == 13) return uint8(IRewardSettlementTypes.Fraud.Omitted);
        if (m == 3 || m == 14) return uint8(IRewardSettlementTypes.Fraud.Invented);
        if (m == 4 || m == 5) {
            IRewardSettlementTypes.Fraud f = t.count > 1
                ? IRewardSettlementTypes.Fraud.WrongTotal
                : IRewardSettlementTypes.Fraud.WrongLeaf;
            return uint8(f);
        }
        if (m == 6) return uint8(IRewardSettlementTypes.Fraud.BeyondCount);
        if (m == 9) return uint8(IRewardSettlementTypes.Fraud.WrongSum);
        if (m == 8 || m == 10) return uint8(IRewardSettlementTypes.Fraud.WrongDepth);
        return uint8(IRewardSettlementTypes.Fraud.Unordered); // 11, 12
    }

    /// @dev Rejects the lie with one challenge, as an honest watcher with the attested tree and the chain would.
    function _challengeLie(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 total
    ) private returns (bool, uint8) {
        uint256 m = t.mode;
        if (t.hasNode && t.height > 0) return _challengeAbove(epoch, t, levels);
        if (m == 2) return _challengeOmission(epoch, t, levels, t.omitted);
        if (m == 11 || m == 12) return _challengeOrder(epoch, t, levels, t.position);
        if (m == 6 || m == 13 || ((m == 4 || m == 5) && t.count > 1)) {
            return _challengePosition(epoch, levels, t.position, total);
        }
        return _challengeLeaf(epoch, t, levels, t.position); // 1, 3, 7, 14, and a one-run tree's wrong total
    }

    /// @dev `challengeDepth` of a leaf above the positions, or `challengeNode` of a lying inner node.
    function _challengeAbove(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels
    ) private returns (bool, uint8) {
        IRewardSettlementTypes.Node[] memory proof = _proof(levels, t.index, t.height);
        IRewardSettlementTypes.Node memory left;
        IRewardSettlementTypes.Node memory right;
        if (!t.leafAbove && t.node.hash != bytes32(0)) {
            (left, right) = (levels[t.height - 1][2 * t.index], levels[t.height - 1][2 * t.index + 1]);
        }
        if (t.leafAbove) {
            // A leaf above the positions (its sum is its own).
            return
                _send(abi.encodeCall(RewardSettlement.challengeDepth, (epoch, t.index, proof, t.ids[0], t.node.sum)));
        }
        return _send(abi.encodeCall(RewardSettlement.challengeNode, (epoch, t.index, t.node, left, right, proof)));
    }

    /// @dev `challenge` of `position` of the leaf level (no replay); true if it rejected.
    function _challengePosition(
        uint256 epoch,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 position,
        uint256 total
    ) private returns (bool, uint8) {
        IRewardSettlementTypes.Node[] memory proof = _proof(levels, position, 0);
        IRewardSettlementTypes.Node memory node = IRewardSettlementTypes.Node(
            levels[0][position].hash,
            levels[0][position].sum
        );
        // A one-run tree is its leaf, and its sum is the attested total (the root hash does not bind it).
        if (levels.length == 1) node.sum = total;
        return _send(abi.encodeCall(RewardSettlement.challenge, (epoch, position, node, proof)));
    }

    /// @dev `challengeLeaf` of the leaf at `position` with its run's inputs (none if no run of the handler has its id).
    function _challengeLeaf(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 position
    ) private returns (bool, uint8) {
        IRewardSettlementTypes.LeafOpening memory o = _open(t, levels, position);
        uint256 slot = _slotOf[o.runId];
        bytes memory inputs = slot == 0 ? bytes("") : _inputs[_runs[slot - 1].inputsKind];
        return _send(abi.encodeCall(RewardSettlement.challengeLeaf, (epoch, o, inputs)));
    }

    /// @dev `challengeOrder` of the leaves at `left` and `left + 1`.
    function _challengeOrder(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 left
    ) private returns (bool, uint8) {
        IRewardSettlementTypes.LeafOpening memory a = _open(t, levels, left);
        IRewardSettlementTypes.LeafOpening memory b = _open(t, levels, left + 1);
        return _send(abi.encodeCall(RewardSettlement.challengeOrder, (epoch, a, b)));
    }

    /// @dev `challengeOmission` of run `runId` with the leaves (below the count) around where it sorts: the first if
    /// every id is greater, the last if every one is smaller, else the last smaller-or-equal and the next.
    function _challengeOmission(
        uint256 epoch,
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 runId
    ) private returns (bool, uint8) {
        uint256 n = t.count < t.ids.length ? t.count : t.ids.length;
        uint256 next;
        while (next < n && t.ids[next] <= runId) ++next;
        IRewardSettlementTypes.LeafOpening[] memory around;
        if (next == 0) {
            around = new IRewardSettlementTypes.LeafOpening[](1);
            around[0] = _open(t, levels, 0);
        } else if (next == n) {
            around = new IRewardSettlementTypes.LeafOpening[](1);
            around[0] = _open(t, levels, n - 1);
        } else {
            around = new IRewardSettlementTypes.LeafOpening[](2);
            (around[0], around[1]) = (_open(t, levels, next - 1), _open(t, levels, next));
        }
        return _send(abi.encodeCall(RewardSettlement.challengeOmission, (epoch, runId, around)));
    }

    /// @dev Sends `data` to the settlement as the challenger: whether it rejected the root, and for which fraud.
    function _send(bytes memory data) private returns (bool, uint8) {
        vm.recordLogs();
        vm.prank(challenger);
        (bool ok, ) = address(settlement).call(data);
        if (!ok) return (false, 0);
        return _rejection();
    }

    /// @dev The fraud of the RootRejected just logged.
    function _rejection() private returns (bool, uint8) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] == IRewardSettlementEvents.RootRejected.selector) {
                (, , uint8 fraud, , ) = abi.decode(logs[i].data, (uint256, uint256, uint8, uint256, uint256));
                return (true, fraud);
            }
        }
        return (false, 0);
    }

    function exitWorker(uint256 seed) external {
        if (workerSet.length == 0) return;
        address w = workerSet[seed % workerSet.length];
        vm.prank(w);
        try workers.requestExit() {} catch {}
    }

    function withdrawWorker(uint256 seed) external {
        if (workerSet.length == 0) return;
        address w = workerSet[seed % workerSet.length];
        vm.roll(block.number + 200);
        vm.prank(w);
        try workers.withdraw() {} catch {}
    }

    function addBond(uint256 seed, uint256 amount) external {
        if (workerSet.length == 0) return;
        address w = workerSet[seed % workerSet.length];
        amount = bound(amount, 1, 5e21);
        share.mint(w, amount);
        vm.startPrank(w);
        share.approve(address(workers), amount);
        try workers.addBond(amount) {
            ghost_bondedIn[w] += amount;
        } catch {}
        vm.stopPrank();
    }
    // ---------------------------------------------------------------- helpers

    function _fallback(uint256 epoch) private {
        uint256 from = runs.epochEnd(epoch) + FALLBACK;
        if (block.number < from) vm.roll(from);
        uint256[] storage idx = _epochRuns[epoch];
        for (uint256 i; i < idx.length; ++i) {
            PlayedRun memory r = _runs[idx[i]];
            ghost_minted += settlement.settleByReplay(r.runId, _inputs[r.inputsKind]);
            verified[r.runId] = true;
            ++ghost_replays;
        }
    }

    /// @dev The opening of `t`'s leaf at `position`: its run (the leaf's hash, in the clear) and the sum the tree
    /// holds there (for a one-run tree the attested total, which is its top), and its proof.
    function _open(
        Tree memory t,
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 position
    ) private pure returns (IRewardSettlementTypes.LeafOpening memory o) {
        o.position = position;
        o.runId = t.ids[position];
        o.sum = levels[0][position].sum;
        if (levels.length == 1) {
            unchecked {
                o.sum += t.totalDelta;
            }
        }
        o.proof = _proof(levels, position, 0);
    }

    /// @dev `epoch`'s honest tree: its runs (the handler's record of them) sorted by run id, each with its replayed
    /// gold, counted.
    function _honest(uint256 epoch) private view returns (Tree memory t) {
        uint256[] storage idx = _epochRuns[epoch];
        uint256 n = idx.length;
        t.count = n;
        t.ids = new uint256[](n);
        t.golds = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 id = _runs[idx[i]].runId;
            uint256 j = i;
            for (; j > 0 && t.ids[j - 1] > id; --j) t.ids[j] = t.ids[j - 1];
            t.ids[j] = id;
        }
        for (uint256 i; i < n; ++i) t.golds[i] = _goldOf(t.ids[i]);
    }

    function _rankOf(Tree memory t, uint256 runId) private pure returns (uint256 i) {
        while (t.ids[i] != runId) ++i;
    }

    function _without(uint256[] memory a, uint256 pos) private pure returns (uint256[] memory b) {
        b = new uint256[](a.length - 1);
        for (uint256 i; i < b.length; ++i) b[i] = a[i < pos ? i : i + 1];
    }

    /// @dev A run the handler submitted in another epoch than `epoch` (0 if none).
    function _otherEpochRun(uint256 epoch) private view returns (uint256) {
        for (uint256 i; i < _runs.length; ++i) {
            if (_runs[i].epoch != epoch) return _runs[i].runId;
        }
        return 0;
    }

    function _goldOf(uint256 runId) private view returns (uint256) {
        return replayer.replay(runs.seedOf(runId), _inputs[_runs[_slotOf[runId] - 1].inputsKind]).gold;
    }

    /// @dev The levels of tree `t` (levels[0]: the 2^depth positions, depth from its count; the last: the top): its
    /// leaves `(bytes32(runId), boosted gold)` at positions 0.., the rest empty, with its one replaced node.
    function _levels(Tree memory t) private pure returns (IRewardSettlementTypes.Node[][] memory levels) {
        uint256 depth;
        while ((1 << depth) < t.count) ++depth;
        levels = new IRewardSettlementTypes.Node[][](depth + 1);
        levels[0] = new IRewardSettlementTypes.Node[](1 << depth);
        for (uint256 i; i < t.ids.length && i < levels[0].length; ++i) {
            (uint256 id, uint256 g) = (t.ids[i], t.golds[i]);
            levels[0][i] = IRewardSettlementTypes.Node(
                bytes32(id),
                (g * (10_000 + ((id >> 80) & 0xffff))) / 10_000
            );
        }
        for (uint256 h; h <= depth; ++h) {
            if (h > 0) {
                IRewardSettlementTypes.Node[] memory below = levels[h - 1];
                levels[h] = new IRewardSettlementTypes.Node[](below.length / 2);
                for (uint256 i; i < below.length / 2; ++i) {
                    (IRewardSettlementTypes.Node memory a, IRewardSettlementTypes.Node memory b) = (
                        below[2 * i],
                        below[2 * i + 1]
                    );
                    levels[h][i] = IRewardSettlementTypes.Node(
                        keccak256(abi.encode(a.hash, a.sum, b.hash, b.sum)),
                        a.sum + b.sum
                    );
                }
            }
            if (t.hasNode && t.height == h) levels[h][t.index] = t.node;
        }
    }

    /// @dev The siblings of the node at (`height`, `position`) from there to the top.
    function _proof(
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 position,
        uint256 height
    ) private pure returns (IRewardSettlementTypes.Node[] memory proof) {
        uint256 depth = levels.length - 1;
        proof = new IRewardSettlementTypes.Node[](depth - height);
        for (uint256 h = height; h < depth; ++h) {
            proof[h - height] = levels[h][position ^ 1];
            position >>= 1;
        }
    }
}

/// @notice Invariants of runs, bonds and GOLD under random play, attestation, fraud, challenges and exits.
contract SettlementInvariantsTest is Test {
    uint256 private constant CAP = 1_000_000e18;

    RunRegistry private runs;
    WorkerRegistry private workers;
    RewardSettlement private settlement;
    GoldToken private gold;
    MockHookToken private share;
    SettlementHandler private handler;

    function setUp() public {
        vm.roll(100);
        share = new MockHookToken();
        SettlementDeploy.Game memory g = SettlementDeploy.deploy(share, 30, CAP);
        (runs, workers, settlement) = (g.runs, g.workers, g.settlement);
        SurgeReplayer replayer = g.replayer;
        gold = GoldToken(settlement.gold());
        handler = new SettlementHandler(runs, workers, settlement, share, replayer);
        for (uint256 i; i < 4; ++i) handler.addWorker(makeAddr(string.concat("worker", vm.toString(i))), 1e21);

        bytes4[] memory selectors = new bytes4[](7);
        selectors[0] = SettlementHandler.play.selector;
        selectors[1] = SettlementHandler.advance.selector;
        selectors[2] = SettlementHandler.claim.selector;
        selectors[3] = SettlementHandler.settleNext.selector;
        selectors[4] = SettlementHandler.exitWorker.selector;
        selectors[5] = SettlementHandler.withdrawWorker.selector;
        selectors[6] = SettlementHandler.addBond.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
        targetContract(address(handler));
    }

    /// The handler reaches every path: final roots (challenged in vain) and claims, every kind of wrong tree rejected
    /// by one challenge with every attester slashed (all eight Fraud kinds), replays.
    function test_handler_reachesEveryPath() public {
        for (uint256 mode; mode <= 14; ++mode) {
            handler.play(3, mode);
            handler.play(3, mode * 31 + 1);
            vm.roll(runs.epochEnd(runs.epochOf(block.number)));
            handler.settleNext(mode, mode * 7 + 3);
            handler.settleNext(mode, mode * 7 + 3);
            handler.claim(0);
            handler.claim(1);
            handler.claim(5);
        }
        assertGt(handler.ghost_finals(), 0, "no final root");
        assertGt(handler.ghost_challenges(), 12, "not every lie challenged");
        for (uint8 f; f <= uint8(IRewardSettlementTypes.Fraud.Invented); ++f) {
            assertGt(handler.ghost_rejectedBy(f), 0, string.concat("no rejection for fraud ", vm.toString(f)));
        }
        assertGt(handler.ghost_replays(), 0, "no replay");
        assertGt(gold.totalSupply(), 0, "no GOLD");
        assertGt(workers.slashedOf(handler.workerSet(0)), 0, "no slash");
        invariant_supplyEqualsClaims();
        invariant_capsHold();
        invariant_noGoldForUnverifiedRuns();
        invariant_bondsHeldAndSlashesBounded();
        invariant_everyLieRejectedNoTruthRejected();
        invariant_signerSetIsTheEligibleWorkers();
    }

    /// Every wrong root that reached quorum was rejected by its one challenge, which slashed every attester in full
    /// and burned it all; no honest root was ever rejected.
    function invariant_everyLieRejectedNoTruthRejected() public view {
        assertEq(handler.ghost_liesKept(), 0, "a wrong root survived its challenge");
        assertEq(handler.ghost_honestRejected(), 0, "an honest root was rejected");
        assertEq(handler.ghost_unslashed(), 0, "an attester of a rejected root kept its bond");
        assertEq(handler.ghost_slashLeaked(), 0, "a slash went elsewhere than the burn address");
        assertEq(handler.ghost_wrongFraud(), 0, "a lie was rejected for another fraud than its own");
    }

    /// GOLD's supply is exactly what claims, replays and attester rewards paid: nothing else mints.
    function invariant_supplyEqualsClaims() public view {
        assertEq(gold.totalSupply(), handler.ghost_minted());
    }

    /// The supply never exceeds the cap per ended epoch, and no epoch's ledger passes its limit (<= cap).
    function invariant_capsHold() public view {
        assertLe(gold.totalSupply(), gold.emissionAllowance());
        uint256 last = runs.epochOf(block.number);
        for (uint256 e; e <= last; ++e) {
            (uint256 minted, uint256 limit) = settlement.epochMinted(e);
            assertLe(minted, limit);
            assertLe(limit, CAP);
        }
    }

    /// No run is paid unless it was verified: in a root final after its window, or replayed on-chain.
    function invariant_noGoldForUnverifiedRuns() public view {
        uint256 n = handler.runCount();
        for (uint256 i; i < n; ++i) {
            uint256 runId = handler.runAt(i).runId;
            if (settlement.isClaimed(runId)) assertTrue(handler.verified(runId));
            assertEq(uint8(runs.runOf(runId).status), uint8(IRunRegistryTypes.RunStatus.Submitted));
        }
    }

    /// A worker never loses more than it bonded, and the registry holds every bonded sgETH.
    function invariant_bondsHeldAndSlashesBounded() public view {
        uint256 sum;
        uint256 n = handler.workerCount();
        for (uint256 i; i < n; ++i) {
            address w = handler.workerSet(i);
            uint256 bond = workers.workerOf(w).bond;
            sum += bond;
            assertLe(workers.slashedOf(w) + bond, handler.ghost_bondedIn(w));
        }
        assertEq(workers.totalBonded(), sum);
        assertGe(share.balanceOf(address(workers)), workers.totalBonded());
    }

    /// Once every pending slash is applied, the registry's signer set is exactly the eligible workers: the quorum's
    /// denominator is their bonds' sum, the aggregate key their keys' sum, the count their number.
    function invariant_signerSetIsTheEligibleWorkers() public view {
        if (workers.pendingSlashes() != 0) return;
        uint256 eligible;
        uint256 count;
        BLS.Packed memory apk;
        uint256 n = handler.workerCount();
        for (uint256 i; i < n; ++i) {
            address w = handler.workerSet(i);
            if (!workers.isEligible(w)) continue;
            eligible += workers.workerOf(w).bond;
            BLS.Packed memory pk = BLS.pack(workers.publicKeyOf(workers.workerOf(w).index));
            apk = count == 0 ? pk : BLS.add(apk, pk);
            ++count;
        }
        assertEq(workers.eligibleStake(), eligible, "eligibleStake is not the eligible bonds' sum");
        assertEq(workers.eligibleCount(), count);
        assertEq(workers.aggregatePublicKey(), BLS.unpack(apk), "apk is not the eligible keys' sum");
    }
}


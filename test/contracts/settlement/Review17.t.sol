// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {
    IRewardSettlementTypes as T,
    IRewardSettlementEvents,
    IRewardSettlementErrors
} from "../../../contracts/interfaces/IRewardSettlement.sol";
import {RewardSettlement} from "../../../contracts/game/RewardSettlement.sol";
import {RunRegistry} from "../../../contracts/game/RunRegistry.sol";
import {SurgeReplayer} from "../../../contracts/game/SurgeReplayer.sol";
import {WorkerRegistry} from "../../../contracts/depin/WorkerRegistry.sol";
import {GoldToken} from "../../../contracts/token/GoldToken.sol";
import {MockHookToken} from "../../../contracts/mocks/MockHookToken.sol";
import {BLSTestSigner} from "../../../contracts/mocks/BLSTestSigner.sol";
import {SettlementDeploy} from "./SettlementDeploy.sol";

/// @notice Review 17b of 068c5b6 ("leaves in the clear": a leaf's node is (bytes32(runId), boosted gold)).
/// Part 1 — REGRESSIONS: every wrong tree of REVIEW-17 (F1, F2a-d, R1), ported to the new leaf format, must now be
/// rejected by ONE challenge: the test sweeps every challenge a watcher holding the published tree can send (each on
/// a snapshot, so it counts them all), then sends the first one of the expected Fraud kind for real and checks the
/// RootRejected event and that all four signers are recorded for slashing (and are slashed by applySlashes).
/// Controls: honest roots of 1, 2, 3, 4 and 5 runs survive the whole sweep.
/// Part 2 — NEW ATTACKS on the new design (see /work/notes/REVIEW-17b.md).
contract Review17Test is Test {
    uint256 internal constant EPOCH_BLOCKS = 30;
    uint256 internal constant CAP = 1_000_000e18;

    RunRegistry internal runs;
    WorkerRegistry internal workers;
    RewardSettlement internal settlement;
    GoldToken internal gold;
    MockHookToken internal share;
    SurgeReplayer internal replayer;

    address[] internal workerSet;
    mapping(address => uint256) internal sk;

    address internal mallory = makeAddr("mallory"); // a player allied with the lying quorum
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    bytes[4] internal INPUTS;

    /// Epoch 0's runs sorted by run id (the honest tree's leaf order).
    uint256[] internal sortedIds;
    mapping(uint256 runId => bytes) internal inputsOf;
    mapping(uint256 runId => uint256) internal goldOf;

    /// Filled by `_sweep`: per Fraud kind, the calldata of the first challenge that showed it.
    bytes[8] internal firstOf;

    function setUp() public {
        vm.roll(100);
        share = new MockHookToken();
        SettlementDeploy.Game memory g = SettlementDeploy.deploy(share, EPOCH_BLOCKS, CAP);
        (runs, workers, replayer, settlement) = (g.runs, g.workers, g.replayer, g.settlement);
        gold = GoldToken(settlement.gold());
        for (uint256 i; i < 4; ++i) _addWorker(makeAddr(string.concat("worker", vm.toString(i))), 1e21);
        INPUTS = [bytes(hex"0100409f9f"), hex"0100128b25", hex"0100209f", hex"010000"];

        address[] memory ps = new address[](4);
        (ps[0], ps[1], ps[2], ps[3]) = (mallory, alice, bob, carol);
        uint256[] memory ids = _submitRuns(ps);
        for (uint256 i; i < 4; ++i) sortedIds.push(ids[i]);
        vm.roll(runs.epochEnd(0));
    }

    // ======================================================================================= part 1: regressions

    /// F1 port (was: leaf hashed at index position + 2^d, unchallengeable and claimable). The index is no longer in
    /// the leaf; the lie it carried (mallory's run with 10^12 gold at her slot) is WrongLeaf by one replay.
    function test_F1_inflatedLeaf_rejected_WrongLeaf() public {
        uint256 m = _posOf(mallory);
        T.Node[] memory pos = _honestPositions(sortedIds);
        pos[m] = settlement.leafNode(sortedIds[m], 1e12);
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0, "no challenge rejects the inflated leaf");
        assertEq(mask, _bit(T.Fraud.WrongLeaf), "only WrongLeaf applies");
        _rejectBy(0, T.Fraud.WrongLeaf);
    }

    /// F1 literal port: the node the old attack put at mallory's slot (keccak256(abi.encode(m + 2^d, runId, gold)))
    /// is now read as a run id: Invented.
    function test_F1_oldAliasedLeafValue_rejected_Invented() public {
        uint256 m = _posOf(mallory);
        uint256 id = sortedIds[m];
        T.Node[] memory pos = _honestPositions(sortedIds);
        pos[m] = T.Node(keccak256(abi.encode(m + 4, id, uint256(1e12))), settlement.leafNode(id, 1e12).sum);
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.Invented) != 0, "Invented");
        _rejectBy(0, T.Fraud.Invented);
    }

    /// F1 depth-0 port: runCount 1, the root is the leaf of a run of mallory's never started: Invented (and every real
    /// run is Omitted before or after it).
    function test_F1_depth0_inventedRun_rejected_Invented() public {
        uint256 invented = (uint256(uint160(mallory)) << 96) | (5000 << 80) | 1000;
        T.Node[] memory pos = new T.Node[](1);
        pos[0] = settlement.leafNode(invented, 123_456);
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 1, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.Invented) != 0, "Invented");
        assertTrue(mask & _bit(T.Fraud.Omitted) != 0, "Omitted");
        _rejectBy(0, T.Fraud.Invented);
    }

    /// F2a port: (hash 0, sum 1) at alice's slot: `challenge` Omitted (hash 0 below the count, whatever the sum).
    function test_F2a_zeroHashNonZeroSum_rejected_Omitted() public {
        _replaceAlice(T.Node(bytes32(0), 1), T.Fraud.Omitted);
    }

    /// F2b port: an inner node of two empties at the positions' level: its hash read as a run id: Invented.
    function test_F2b_innerNodeAtPositionLevel_rejected_Invented() public {
        T.Node memory inner = T.Node(keccak256(abi.encode(bytes32(0), uint256(0), bytes32(0), uint256(0))), 0);
        _replaceAlice(inner, T.Fraud.Invented);
    }

    /// F2c port: alice's old-format leaf hashed with another index: a value that is no run: Invented.
    function test_F2c_leafOfAnotherIndex_rejected_Invented() public {
        uint256 a = _posOf(alice);
        uint256 id = sortedIds[a];
        T.Node memory junk = T.Node(keccak256(abi.encode(a == 0 ? 1 : a - 1, id, goldOf[id])), settlement.leafNode(id, goldOf[id]).sum);
        _replaceAlice(junk, T.Fraud.Invented);
    }

    /// F2c, new-format analogue: alice's leaf moved onto her neighbour's slot (a duplicate): Unordered.
    function test_F2c_duplicateNeighbour_rejected_Unordered() public {
        uint256 a = _posOf(alice);
        uint256 other = a == 0 ? 1 : a - 1;
        T.Node[] memory pos = _honestPositions(sortedIds);
        pos[a] = pos[other];
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.Unordered) != 0, "Unordered");
        _rejectBy(0, T.Fraud.Unordered);
    }

    /// F2d port: a wrapped inner node (keccak(0,w,0,0), w) at a run slot, w = 2^256 - the other leaves: Invented at
    /// the slot, and WrongSum (a sum past 2^256) at the node where the wrap shows.
    function test_F2d_wrappedSum_rejected_Invented_and_WrongSum() public {
        uint256 m = _posOf(mallory);
        T.Node[] memory pos = _honestPositions(sortedIds);
        uint256 a = _slotForWrap(pos, m);
        uint256 w = _wrapFor(pos, a, m);
        pos[a] = T.Node(keccak256(abi.encode(bytes32(0), w, bytes32(0), uint256(0))), w);
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.Invented) != 0, "Invented");
        _rejectBy(0, T.Fraud.Invented);
    }

    /// F2d, the wrap on a real run's own leaf: (aliceRunId, w). Without replay: WrongSum at the node whose children
    /// add past 2^256; with one replay: WrongLeaf.
    function test_F2d_wrappedSumOnRealLeaf_rejected_WrongSum_noReplay() public {
        uint256 m = _posOf(mallory);
        T.Node[] memory pos = _honestPositions(sortedIds);
        uint256 a = _slotForWrap(pos, m);
        uint256 w = _wrapFor(pos, a, m);
        pos[a] = T.Node(bytes32(sortedIds[a]), w);
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.WrongSum) != 0, "WrongSum (challengeNode, no replay)");
        assertTrue(mask & _bit(T.Fraud.WrongLeaf) != 0, "WrongLeaf (challengeLeaf, replay)");
        _rejectBy(0, T.Fraud.WrongSum);
    }

    /// R1 port: a random hash nobody can open at alice's slot: read as a run id: Invented (no preimage needed).
    function test_R1_randomHashAtRunPosition_rejected_Invented() public {
        _replaceAlice(T.Node(keccak256("no preimage anyone knows"), 0), T.Fraud.Invented);
    }

    /// Controls: honest roots of 1..5 runs survive every challenge; the designed lies of each shape are rejected.
    function test_control_honest4_survivesEverything() public {
        (uint256 count, ) = _attestAndSweep(0, _honestPositions(sortedIds), 4, sortedIds);
        assertEq(count, 0, "honest root rejected");
        vm.roll(block.number + 6);
        settlement.finalize(0);
    }

    function test_control_honest_1_2_3_5_runs_surviveEverything() public {
        for (uint256 k = 1; k <= 5; ++k) {
            if (k == 4) continue;
            (uint256 epoch, uint256[] memory ids) = _newEpochWithRuns(k);
            (uint256 count, ) = _attestAndSweep(epoch, _honestPositions(ids), k, ids);
            assertEq(count, 0, string.concat("honest root of runs: ", vm.toString(k)));
        }
    }

    function test_control_designedLies_rejected() public {
        uint256 snap = vm.snapshotState();
        for (uint256 mode; mode < 9; ++mode) {
            vm.revertToState(snap);
            T.Node[] memory pos = _honestPositions(sortedIds);
            uint256 n = 4;
            T.Fraud expect;
            if (mode == 0) {
                pos[1] = settlement.leafNode(sortedIds[1], goldOf[sortedIds[1]] + 1); // wrong gold
                expect = T.Fraud.WrongLeaf;
            } else if (mode == 1) {
                (pos[1], pos[2]) = (pos[2], pos[1]); // swapped
                expect = T.Fraud.Unordered;
            } else if (mode == 2) {
                pos[3] = T.Node(0, 0); // last run omitted, count 3
                n = 3;
                expect = T.Fraud.Omitted;
            } else if (mode == 3) {
                pos[0] = T.Node(0, 0); // first run omitted: shift left, count 3
                (pos[0], pos[1], pos[2]) = (pos[1], pos[2], pos[3]);
                pos[3] = T.Node(0, 0);
                n = 3;
                expect = T.Fraud.Omitted;
            } else if (mode == 4) {
                pos[3] = settlement.leafNode(sortedIds[3] + 1000, 5); // invented (the real last one dropped)
                expect = T.Fraud.Invented;
            } else if (mode == 5) {
                pos[2] = pos[1]; // a run twice
                expect = T.Fraud.Unordered;
            } else if (mode == 6) {
                pos[1] = T.Node(0, 0); // empty below the count
                expect = T.Fraud.Omitted;
            } else if (mode == 7) {
                // count 5 (depth 3): the fifth is a copy of the last
                T.Node[] memory p8 = new T.Node[](8);
                for (uint256 i; i < 4; ++i) p8[i] = pos[i];
                p8[4] = pos[3];
                pos = p8;
                n = 5;
                expect = T.Fraud.Unordered;
            } else {
                // count 3 but the last run beyond the count
                n = 3;
                expect = T.Fraud.BeyondCount;
            }
            (uint256 count, uint256 mask) = _attestAndSweep(0, pos, n, sortedIds);
            assertGt(count, 0, string.concat("mode not rejected: ", vm.toString(mode)));
            assertTrue(mask & _bit(expect) != 0, string.concat("mode without its fraud: ", vm.toString(mode)));
            _rejectBy(0, expect);
        }
    }

    /// A wrong total: the tree honest, the attested total one more.
    function test_control_wrongTotal_rejected() public {
        T.Node[][] memory levels = _levels(_honestPositions(sortedIds));
        _attest(0, levels[2][0].hash, 4, levels[2][0].sum + 1);
        levels[2][0].sum += 1; // the top node as the liars publish it
        (uint256 count, uint256 mask) = _sweep(0, levels, 4, levels[2][0].sum, sortedIds);
        assertGt(count, 0);
        assertTrue(mask & _bit(T.Fraud.WrongTotal) != 0);
        _rejectBy(0, T.Fraud.WrongTotal);
    }

    // ======================================================================================= part 2: new attacks

    /// N1 (residual, design): a value above the positions that is no KNOWN run's id — here the id of a run of
    /// mallory's never started — stands for the positions under it. `challengeDepth` calls it NoFraud (status
    /// None), `challengeNode` needs children that hash to it (none exist), and no position under it can be opened.
    /// The runs under it (positions 0 and 1) are omitted; every node the liars have is published; the root is final.
    function test_N1_unknownRunIdAbovePositions_unchallengeable() public {
        uint256 unknown = (uint256(uint160(mallory)) << 96) | (5000 << 80) | 1000;
        T.Node[][] memory levels = _levels(_honestPositions(sortedIds));
        // Level 1, node 0 (over positions 0 and 1): the unknown id, sum 0 (the hidden runs' points dropped).
        levels[1][0] = T.Node(bytes32(unknown), 0);
        T.Node memory l = levels[1][0];
        T.Node memory r = levels[1][1];
        levels[2][0] = T.Node(keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)), l.sum + r.sum);
        _attest(0, levels[2][0].hash, 4, levels[2][0].sum);
        // The watcher tries the honest leaves at positions 0, 1 (the runs it expects there) and everything else.
        (uint256 count, ) = _sweep(0, levels, 4, levels[2][0].sum, sortedIds);
        assertEq(count, 0, "a challenge rejected it");
        // Nor does challengeDepth at the node itself (the one challenge meant for a run id above the positions).
        T.Node[] memory proof = _proof(levels, 0, 1);
        vm.expectRevert();
        settlement.challengeDepth(0, 0, proof, unknown, 0);
        vm.roll(block.number + 6);
        settlement.finalize(0);
        // The runs at positions 0 and 1 can never be paid (no leaf under a node that is no hash).
        for (uint256 p; p < 2; ++p) {
            uint256 id = sortedIds[p];
            emit log_named_uint("hidden run's gold", goldOf[id]);
            T.RunClaim[] memory c = new T.RunClaim[](1);
            c[0] = T.RunClaim({epoch: 0, index: p, runId: id, gold: goldOf[id], proof: _proof(_levels(_honestPositions(sortedIds)), p, 0)});
            address pl = address(uint160(id >> 96));
            vm.prank(pl);
            vm.expectRevert();
            settlement.claim(pl, c);
        }
    }

    /// N1 control: the same with a KNOWN run's id above the positions is WrongDepth.
    function test_N1_control_knownRunIdAbovePositions_WrongDepth() public {
        T.Node[][] memory levels = _levels(_honestPositions(sortedIds));
        levels[1][0] = T.Node(bytes32(sortedIds[0]), 0);
        T.Node memory l = levels[1][0];
        T.Node memory r = levels[1][1];
        levels[2][0] = T.Node(keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)), l.sum + r.sum);
        _attest(0, levels[2][0].hash, 4, levels[2][0].sum);
        (uint256 count, uint256 mask) = _sweep(0, levels, 4, levels[2][0].sum, sortedIds);
        assertGt(count, 0);
        assertEq(mask, _bit(T.Fraud.WrongDepth));
        _rejectBy(0, T.Fraud.WrongDepth);
    }

    /// N2: index aliasing in claims. The index is not in the leaf, so index + k 2^depth would fold like index: claims
    /// refuse an index with bits past the depth (InvalidProof, 0e73597), in both encodings; the exact index pays the
    /// run's honest amount once. A claim of mallory's run at alice's slot with a gold whose boost is alice's sum fails.
    function test_N2_claimIndexAliasing_paysOnce() public {
        T.Node[][] memory levels = _levels(_honestPositions(sortedIds));
        _attest(0, levels[2][0].hash, 4, levels[2][0].sum);
        vm.roll(block.number + 6);
        settlement.finalize(0);
        uint256 m = _posOf(mallory);
        uint256 id = sortedIds[m];
        T.RunClaim[] memory c = new T.RunClaim[](1);
        // Mallory's run at alice's slot, gold chosen so that its boost matches alice's sum (or any sum): not a leaf.
        uint256 a = _posOf(alice);
        c[0] = T.RunClaim({epoch: 0, index: a, runId: id, gold: goldOf[sortedIds[a]], proof: _proof(levels, a, 0)});
        vm.prank(mallory);
        vm.expectRevert();
        settlement.claim(mallory, c);
        // Alice's run claimed by mallory: not hers.
        c[0] = T.RunClaim({epoch: 0, index: a, runId: sortedIds[a], gold: goldOf[sortedIds[a]], proof: _proof(levels, a, 0)});
        vm.prank(mallory);
        vm.expectRevert();
        settlement.claim(mallory, c);
        // Aliased index: refused in both encodings.
        c[0] = T.RunClaim({epoch: 0, index: m + (7 << 2) + (1 << 200), runId: id, gold: goldOf[id], proof: _proof(levels, m, 0)});
        vm.prank(mallory);
        vm.expectRevert(IRewardSettlementErrors.InvalidProof.selector);
        settlement.claim(mallory, c);
        bytes memory packed = _packed(0, m + 4, id, goldOf[id], _proof(levels, m, 0));
        vm.prank(mallory);
        vm.expectRevert(IRewardSettlementErrors.InvalidProof.selector);
        settlement.claimPacked(mallory, packed);
        // The exact index: paid once, the honest amount.
        c[0].index = m;
        vm.prank(mallory);
        uint256 paid = settlement.claim(mallory, c);
        (, uint256 limit) = settlement.epochMinted(0);
        uint256 expected = (levels[0][m].sum * limit) / levels[2][0].sum;
        assertEq(paid, expected - (expected % 1e12), "the honest amount");
        vm.prank(mallory);
        vm.expectRevert();
        settlement.claim(mallory, c);
    }

    /// N3 (sound): a one-run tree: honest root (its own run id) survives everything; a claim at index 0 pays once, any
    /// other index is refused.
    function test_N3_depth0_honest_claimOnce() public {
        (uint256 epoch, uint256[] memory ids) = _newEpochWithRuns(1);
        (uint256 count, ) = _attestAndSweep(epoch, _honestPositions(ids), 1, ids);
        assertEq(count, 0);
        vm.roll(block.number + 6);
        settlement.finalize(epoch);
        address pl = address(uint160(ids[0] >> 96));
        vm.prank(pl);
        vm.expectRevert(IRewardSettlementErrors.InvalidProof.selector);
        settlement.claimPacked(pl, _packed(epoch, 0xffffffff, ids[0], goldOf[ids[0]], new T.Node[](0)));
        vm.prank(pl);
        settlement.claimPacked(pl, _packed(epoch, 0, ids[0], goldOf[ids[0]], new T.Node[](0)));
        vm.prank(pl);
        vm.expectRevert();
        settlement.claimPacked(pl, _packed(epoch, 0, ids[0], goldOf[ids[0]], new T.Node[](0)));
    }

    /// N4 (sound): sums near 2^64: mallory's leaf inflated so the total is exactly 2^64 - 1 (the largest a root can
    /// attest): WrongLeaf; a total of 2^64 cannot even be attested (SafeCast).
    function test_N4_sumNear2pow64_rejected() public {
        uint256 m = _posOf(mallory);
        T.Node[] memory pos = _honestPositions(sortedIds);
        uint256 others;
        for (uint256 i; i < 4; ++i) if (i != m) others += pos[i].sum;
        pos[m].sum = type(uint64).max - others;
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0);
        assertEq(mask, _bit(T.Fraud.WrongLeaf));
        _rejectBy(0, T.Fraud.WrongLeaf);
    }

    /// N5 (sound): count edge cases for a 3-run epoch: counts 1, 2 (omissions), 4 (an empty or invented 4th), a run
    /// past the count, and a count whose depth is less than the liars' tree's are each rejected.
    function test_N5_runCountEdges_3runs() public {
        (uint256 epoch, uint256[] memory ids) = _newEpochWithRuns(3);
        uint256 snap = vm.snapshotState();
        for (uint256 mode; mode < 6; ++mode) {
            vm.revertToState(snap);
            T.Node[] memory pos = _honestPositions(ids);
            uint256 n = 3;
            T.Fraud expect = T.Fraud.Omitted;
            if (mode == 0) {
                pos = new T.Node[](1);
                pos[0] = settlement.leafNode(ids[0], goldOf[ids[0]]);
                n = 1;
            } else if (mode == 1) {
                pos[2] = T.Node(0, 0);
                n = 2;
                T.Node[] memory p2 = new T.Node[](2);
                (p2[0], p2[1]) = (pos[0], pos[1]);
                pos = p2;
            } else if (mode == 2) {
                n = 4; // position 3 stays (0,0): empty below the count
            } else if (mode == 3) {
                n = 4;
                pos[3] = settlement.leafNode(ids[2] + 1, 0); // a run id that does not exist
                expect = T.Fraud.Invented;
            } else if (mode == 4) {
                pos[3] = pos[2]; // a copy of the last run past the count (position 3 of 3)
                expect = T.Fraud.BeyondCount;
            } else {
                // count 2 (depth 1) over the liars' 4-wide tree: the contract's positions are its level-1 nodes,
                // inner hashes read as run ids
                n = 2;
                T.Node[][] memory lv = _levels(pos);
                pos = lv[1];
                expect = T.Fraud.Invented;
            }
            (uint256 count, uint256 mask) = _attestAndSweep(epoch, pos, n, ids);
            assertGt(count, 0, string.concat("count lie not rejected: ", vm.toString(mode)));
            assertTrue(mask & _bit(expect) != 0, string.concat("count lie without its fraud: ", vm.toString(mode)));
            _rejectBy(epoch, expect);
        }
    }

    // ======================================================================================= helpers

    function _replaceAlice(T.Node memory junk, T.Fraud expect) private {
        T.Node[] memory pos = _honestPositions(sortedIds);
        pos[_posOf(alice)] = junk;
        (uint256 count, uint256 mask) = _attestAndSweep(0, pos, 4, sortedIds);
        assertGt(count, 0, "no challenge rejects the lie");
        assertTrue(mask & _bit(expect) != 0, "the expected fraud is shown");
        _rejectBy(0, expect);
    }

    /// A slot for the wrap (a run without gold but mallory's if any, else alice's).
    function _slotForWrap(T.Node[] memory pos, uint256 m) private view returns (uint256 a) {
        a = _posOf(alice);
        for (uint256 i; i < 4; ++i) {
            if (i != m && pos[i].sum == 0) return i;
        }
    }

    function _wrapFor(T.Node[] memory pos, uint256 a, uint256 m) private pure returns (uint256 w) {
        uint256 others;
        for (uint256 i; i < 4; ++i) if (i != a && i != m) others += pos[i].sum;
        unchecked {
            w = 0 - others;
        }
        if (w == 0) w = type(uint256).max; // no other gold: wrap by mallory's own points minus one... any huge value
    }

    function _bit(T.Fraud f) internal pure returns (uint256) {
        return 1 << uint8(f);
    }

    function _posOf(address player) internal view returns (uint256) {
        for (uint256 i; i < sortedIds.length; ++i) if (address(uint160(sortedIds[i] >> 96)) == player) return i;
        revert("no run");
    }

    /// Starts and submits one run per player in the current epoch (inputs cycled); returns their ids sorted.
    function _submitRuns(address[] memory ps) private returns (uint256[] memory ids) {
        ids = new uint256[](ps.length);
        for (uint256 i; i < ps.length; ++i) {
            vm.prank(ps[i]);
            (ids[i], ) = runs.startRun();
        }
        vm.roll(block.number + 2);
        uint256 epoch = runs.epochOf(block.number);
        for (uint256 i; i < ps.length; ++i) {
            bytes memory ins = INPUTS[i % 4];
            vm.prank(ps[i]);
            assertEq(runs.submitRun(ids[i], ins), epoch);
            inputsOf[ids[i]] = ins;
            goldOf[ids[i]] = replayer.replay(runs.seedOf(ids[i]), ins).gold;
        }
        for (uint256 i; i < ids.length; ++i) {
            for (uint256 j = i + 1; j < ids.length; ++j) if (ids[j] < ids[i]) (ids[i], ids[j]) = (ids[j], ids[i]);
        }
    }

    uint256 internal playerSalt;

    /// A fresh epoch (the next one that starts) with `k` runs of fresh players; rolls to its end.
    function _newEpochWithRuns(uint256 k) private returns (uint256 epoch, uint256[] memory ids) {
        epoch = runs.epochOf(block.number) + 1;
        vm.roll(runs.epochEnd(epoch - 1));
        address[] memory ps = new address[](k);
        for (uint256 i; i < k; ++i) ps[i] = makeAddr(string.concat("p", vm.toString(++playerSalt)));
        ids = _submitRuns(ps);
        vm.roll(runs.epochEnd(epoch));
    }

    function _honestPositions(uint256[] memory ids) internal view returns (T.Node[] memory pos) {
        uint256 width = 1;
        while (width < ids.length) width <<= 1;
        pos = new T.Node[](width);
        for (uint256 i; i < ids.length; ++i) pos[i] = settlement.leafNode(ids[i], goldOf[ids[i]]);
    }

    function _levels(T.Node[] memory pos) internal pure returns (T.Node[][] memory levels) {
        uint256 depth;
        while ((1 << depth) < pos.length) ++depth;
        levels = new T.Node[][](depth + 1);
        levels[0] = pos;
        for (uint256 h = 1; h <= depth; ++h) {
            T.Node[] memory below = levels[h - 1];
            levels[h] = new T.Node[](below.length / 2);
            for (uint256 i; i < below.length / 2; ++i) {
                T.Node memory l = below[2 * i];
                T.Node memory r = below[2 * i + 1];
                unchecked {
                    levels[h][i] = T.Node(keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)), l.sum + r.sum);
                }
            }
        }
    }

    function _proof(T.Node[][] memory levels, uint256 position, uint256 height) internal pure returns (T.Node[] memory proof) {
        uint256 depth = levels.length - 1;
        proof = new T.Node[](depth - height);
        for (uint256 h = height; h < depth; ++h) {
            proof[h - height] = levels[h][position ^ 1];
            position >>= 1;
        }
    }

    function _opening(T.Node[][] memory levels, uint256 p) internal pure returns (T.LeafOpening memory) {
        return T.LeafOpening({position: p, runId: uint256(levels[0][p].hash), sum: levels[0][p].sum, proof: _proof(levels, p, 0)});
    }

    function _packed(uint256 epoch, uint256 index, uint256 runId, uint256 g, T.Node[] memory proof) internal pure returns (bytes memory b) {
        b = abi.encodePacked(uint32(epoch), uint32(index), runId, uint32(g), uint8(proof.length));
        for (uint256 i; i < proof.length; ++i) b = abi.encodePacked(b, proof[i].hash, uint64(proof[i].sum));
    }

    function _attestAndSweep(uint256 epoch, T.Node[] memory pos, uint256 n, uint256[] memory epochRuns)
        internal
        returns (uint256 count, uint256 mask)
    {
        T.Node[][] memory levels = _levels(pos);
        T.Node memory top = levels[levels.length - 1][0];
        _attest(epoch, top.hash, n, top.sum);
        return _sweep(epoch, levels, n, top.sum, epochRuns);
    }

    /// Tries `data` on a snapshot: whether it rejected the root, and why.
    function _try(bytes memory data) private returns (bool ok, uint8 fraud) {
        uint256 snap = vm.snapshotState();
        vm.recordLogs();
        (ok, ) = address(settlement).call(data);
        if (ok) {
            Vm.Log[] memory logs = vm.getRecordedLogs();
            bool seen;
            for (uint256 i; i < logs.length; ++i) {
                if (logs[i].topics[0] == IRewardSettlementEvents.RootRejected.selector) {
                    (, , fraud, , ) = abi.decode(logs[i].data, (uint256, uint256, uint8, uint256, uint256));
                    seen = true;
                }
            }
            assertTrue(seen, "a challenge succeeded without RootRejected");
        } else {
            vm.getRecordedLogs();
        }
        vm.revertToStateAndDelete(snap);
    }

    uint256 internal sCount;
    uint256 internal sMask;

    /// Tries `data` (on a snapshot) and books the result (after the snapshot is reverted).
    function _note(bytes memory data) private {
        (bool ok, uint8 fraud) = _try(data);
        if (!ok) return;
        if (firstOf[fraud].length == 0) firstOf[fraud] = data;
        sCount += 1;
        sMask |= 1 << fraud;
    }

    /// Every challenge a watcher holding the published tree can send, each on a snapshot; how many reject, and why.
    function _sweep(uint256 epoch, T.Node[][] memory levels, uint256 n, uint256 total, uint256[] memory epochRuns)
        internal
        returns (uint256 count, uint256 mask)
    {
        for (uint256 f; f < 8; ++f) delete firstOf[f];
        (sCount, sMask) = (0, 0);
        _sweepPositions(epoch, levels, total);
        _sweepLeaves(epoch, levels, n, total);
        _sweepOrder(epoch, levels, n);
        _sweepOmissions(epoch, levels, n, total, epochRuns);
        _sweepNodes(epoch, levels);
        emit log_named_uint("rejecting challenges", sCount);
        emit log_named_uint("fraud kinds (bit = Fraud value)", sMask);
        return (sCount, sMask);
    }

    function _sweepPositions(uint256 epoch, T.Node[][] memory levels, uint256 total) private {
        uint256 width = levels[0].length;
        for (uint256 p; p < width; ++p) {
            T.Node memory node = levels[0][p];
            if (levels.length == 1) node.sum = total;
            T.Node[] memory proof = _proof(levels, p, 0);
            _note(abi.encodeCall(settlement.challenge, (epoch, p, node, proof)));
        }
    }

    function _sweepLeaves(uint256 epoch, T.Node[][] memory levels, uint256 n, uint256 total) private {
        uint256 width = levels[0].length;
        for (uint256 p; p < width && p < n; ++p) {
            T.LeafOpening memory o = _opening(levels, p);
            if (levels.length == 1) o.sum = total;
            bytes memory ins = inputsOf[o.runId];
            _note(abi.encodeCall(settlement.challengeLeaf, (epoch, o, ins)));
        }
    }

    function _sweepOrder(uint256 epoch, T.Node[][] memory levels, uint256 n) private {
        uint256 width = levels[0].length;
        for (uint256 p; p + 1 < width && p + 1 < n; ++p) {
            T.LeafOpening memory l = _opening(levels, p);
            T.LeafOpening memory r = _opening(levels, p + 1);
            _note(abi.encodeCall(settlement.challengeOrder, (epoch, l, r)));
        }
    }

    function _sweepOmissions(
        uint256 epoch,
        T.Node[][] memory levels,
        uint256 n,
        uint256 total,
        uint256[] memory epochRuns
    ) private {
        uint256 width = levels[0].length;
        for (uint256 r; r < epochRuns.length; ++r) {
            for (uint256 p; p < width && p < n; ++p) {
                T.LeafOpening[] memory one = new T.LeafOpening[](1);
                one[0] = _opening(levels, p);
                if (levels.length == 1) one[0].sum = total;
                _note(abi.encodeCall(settlement.challengeOmission, (epoch, epochRuns[r], one)));
                if (p + 1 < width && p + 1 < n) {
                    T.LeafOpening[] memory two = new T.LeafOpening[](2);
                    two[0] = one[0];
                    two[1] = _opening(levels, p + 1);
                    _note(abi.encodeCall(settlement.challengeOmission, (epoch, epochRuns[r], two)));
                }
            }
        }
    }

    function _sweepNodes(uint256 epoch, T.Node[][] memory levels) private {
        for (uint256 h = 1; h < levels.length; ++h) {
            for (uint256 i; i < levels[h].length; ++i) {
                T.Node[] memory below = levels[h - 1];
                T.Node[] memory proof = _proof(levels, i, h);
                T.Node memory node = levels[h][i];
                _note(abi.encodeCall(settlement.challengeNode, (epoch, i, node, below[2 * i], below[2 * i + 1], proof)));
                // challengeDepth: the node read as a run id above the positions.
                _note(abi.encodeCall(settlement.challengeDepth, (epoch, i, proof, uint256(node.hash), node.sum)));
            }
        }
    }

    /// Sends, for real, the first challenge of kind `kind` the last sweep found, and checks the rejection: the event,
    /// the new round, and the four signers recorded for slashing, then slashed by applySlashes.
    function _rejectBy(uint256 epoch, T.Fraud kind) internal {
        bytes memory data = firstOf[uint8(kind)];
        assertGt(data.length, 0, "no challenge of that kind");
        uint256 rejectionsBefore = workers.rejectionCount();
        vm.recordLogs();
        (bool ok, ) = address(settlement).call(data);
        assertTrue(ok, "the challenge went through");
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool seen;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].topics[0] != IRewardSettlementEvents.RootRejected.selector) continue;
            (, , uint8 fraud, uint256 rejection, uint256 signers) = abi.decode(logs[i].data, (uint256, uint256, uint8, uint256, uint256));
            assertEq(fraud, uint8(kind), "the fraud kind");
            assertEq(rejection, rejectionsBefore);
            assertEq(signers, 4, "all four signers");
            seen = true;
        }
        assertTrue(seen, "RootRejected");
        assertEq(uint8(settlement.epochStatus(epoch)), uint8(T.EpochStatus.Open), "epoch open again");
        assertEq(settlement.roundOf(epoch), 1, "next round");
        assertEq(workers.rejectionCount(), rejectionsBefore + 1, "rejection recorded");
        assertEq(workers.pendingSlashes(), 4, "four slashes pending");
        uint256[] memory idx = new uint256[](4);
        for (uint256 i; i < 4; ++i) idx[i] = i;
        workers.applySlashes(rejectionsBefore, new uint256[](0), idx);
        for (uint256 i; i < 4; ++i) assertEq(workers.slashedOf(workerSet[i]), 5e20, "signer slashed half its bond");
        assertEq(workers.pendingSlashes(), 0);
    }

    function _addWorker(address w, uint256 bond) private {
        uint256 key = BLSTestSigner.secretKey(bytes32(uint256(uint160(w))));
        sk[w] = key;
        SettlementDeploy.registerWorker(share, workers, w, bond, key);
        workerSet.push(w);
    }

    /// Every worker signs (a unanimous quorum).
    function _attest(uint256 epoch, bytes32 root, uint256 n, uint256 total) internal {
        bytes32 digest = settlement.attestationDigest(epoch, settlement.roundOf(epoch), root, n, total);
        bytes memory sig;
        for (uint256 i; i < workerSet.length; ++i) {
            bytes memory s = BLSTestSigner.sign(sk[workerSet[i]], abi.encodePacked(digest), workers.ATTESTATION_DST());
            sig = i == 0 ? s : BLSTestSigner.addG2(sig, s);
        }
        settlement.attest(epoch, root, n, total, new uint256[](0), sig);
        assertEq(uint8(settlement.epochStatus(epoch)), uint8(T.EpochStatus.Challengeable));
    }
}

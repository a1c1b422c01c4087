// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IRewardSettlementTypes, IRewardSettlementErrors} from "../../../contracts/interfaces/IRewardSettlement.sol";
import {RewardSettlement} from "../../../contracts/game/RewardSettlement.sol";
import {RunRegistry} from "../../../contracts/game/RunRegistry.sol";
import {SurgeReplayer} from "../../../contracts/game/SurgeReplayer.sol";
import {WorkerRegistry} from "../../../contracts/depin/WorkerRegistry.sol";
import {MockHookToken} from "../../../contracts/mocks/MockHookToken.sol";
import {BLSTestSigner} from "../../../contracts/mocks/BLSTestSigner.sol";
import {SettlementDeploy} from "./SettlementDeploy.sol";

/// @notice Fuzzes the claim fold: for a final epoch of 1 to 9 runs (depth 0 to 4), a run's claim pays the same through
/// `claim` and `claimPacked`, and any one-byte change of its packed bytes, or any change of one proof node, reverts
/// (the fold binds the leaf, its position, every sibling's hash and sum, the depth and the total).
contract ClaimFoldTest is Test {
    RunRegistry private runs;
    WorkerRegistry private workers;
    RewardSettlement private settlement;
    SurgeReplayer private replayer;
    MockHookToken private share;

    bytes[3] private _inputs = [bytes(hex"0100409f9f"), bytes(hex"0100128b25"), bytes(hex"0100209f")];
    uint256[] private _ids;
    uint256[] private _kinds;
    uint256 private _epoch;

    function setUp() public {
        vm.roll(100);
        share = new MockHookToken();
        SettlementDeploy.Game memory g = SettlementDeploy.deploy(share, 30, 1_000_000e18);
        (runs, workers, replayer, settlement) = (g.runs, g.workers, g.replayer, g.settlement);
        for (uint256 i; i < 3; ++i) {
            address w = makeAddr(string.concat("worker", vm.toString(i)));
            SettlementDeploy.registerWorker(share, workers, w, 1e21, BLSTestSigner.secretKey(bytes32(i)));
        }
    }

    /// Plays `n` runs of distinct players in one epoch and settles its honest tree (sorted by run id); returns its
    /// levels.
    function _finalEpoch(uint256 n, uint256 kinds) private returns (IRewardSettlementTypes.Node[][] memory levels) {
        for (uint256 i; i < n; ++i) {
            vm.prank(_player(i));
            (uint256 id, ) = runs.startRun();
            _ids.push(id);
            _kinds.push((kinds >> (2 * i)) % 3);
        }
        vm.roll(block.number + 2); // the seed block exists
        for (uint256 i; i < n; ++i) {
            vm.prank(_player(i));
            _epoch = runs.submitRun(_ids[i], _inputs[_kinds[i]]);
        }
        // The tree's leaves are the epoch's runs in ascending run-id order: sort the ids (and their inputs' kinds).
        for (uint256 i = 1; i < n; ++i) {
            for (uint256 j = i; j > 0 && _ids[j - 1] > _ids[j]; --j) {
                (_ids[j - 1], _ids[j]) = (_ids[j], _ids[j - 1]);
                (_kinds[j - 1], _kinds[j]) = (_kinds[j], _kinds[j - 1]);
            }
        }
        vm.roll(runs.epochEnd(_epoch));
        uint256 depth;
        while ((1 << depth) < n) ++depth;
        levels = new IRewardSettlementTypes.Node[][](depth + 1);
        levels[0] = new IRewardSettlementTypes.Node[](1 << depth);
        for (uint256 i; i < n; ++i) levels[0][i] = settlement.leafNode(_ids[i], _gold(i));
        for (uint256 h = 1; h <= depth; ++h) {
            levels[h] = new IRewardSettlementTypes.Node[](levels[h - 1].length / 2);
            for (uint256 i; i < levels[h].length; ++i) {
                (IRewardSettlementTypes.Node memory l, IRewardSettlementTypes.Node memory r) = (
                    levels[h - 1][2 * i],
                    levels[h - 1][2 * i + 1]
                );
                levels[h][i] = IRewardSettlementTypes.Node(
                    keccak256(abi.encode(l.hash, l.sum, r.hash, r.sum)),
                    l.sum + r.sum
                );
            }
        }
        IRewardSettlementTypes.Node memory top = levels[depth][0];
        // Two of the three equal workers are a quorum (two thirds of the eligible stake): worker 2 does not sign.
        bytes memory digest = abi.encodePacked(settlement.attestationDigest(_epoch, 0, top.hash, n, top.sum));
        bytes memory dst = workers.ATTESTATION_DST();
        bytes memory signature = BLSTestSigner.addG2(
            BLSTestSigner.sign(BLSTestSigner.secretKey(bytes32(uint256(0))), digest, dst),
            BLSTestSigner.sign(BLSTestSigner.secretKey(bytes32(uint256(1))), digest, dst)
        );
        uint256[] memory nonSigners = new uint256[](1);
        nonSigners[0] = 2;
        settlement.attest(_epoch, top.hash, n, top.sum, nonSigners, signature);
        vm.roll(block.number + 6);
        settlement.finalize(_epoch);
    }

    function _player(uint256 i) private returns (address) {
        return makeAddr(string.concat("player", vm.toString(i)));
    }

    function _gold(uint256 i) private view returns (uint256) {
        return replayer.replay(runs.seedOf(_ids[i]), _inputs[_kinds[i]]).gold;
    }

    function _claim(
        IRewardSettlementTypes.Node[][] memory levels,
        uint256 i
    ) private view returns (IRewardSettlementTypes.RunClaim memory c, bytes memory packed) {
        uint256 depth = levels.length - 1;
        c.epoch = _epoch;
        c.index = i;
        c.runId = _ids[i];
        c.gold = _gold(i);
        c.proof = new IRewardSettlementTypes.Node[](depth);
        for (uint256 h; h < depth; ++h) c.proof[h] = levels[h][(i >> h) ^ 1];
        packed = abi.encodePacked(uint32(c.epoch), uint32(c.index), c.runId, uint32(c.gold), uint8(depth));
        for (uint256 h; h < depth; ++h) packed = abi.encodePacked(packed, c.proof[h].hash, uint64(c.proof[h].sum));
    }

    function testFuzz_claimFold_bindsEveryByte(
        uint256 nSeed,
        uint256 kinds,
        uint256 pick,
        uint256 offset,
        uint8 x
    ) public {
        uint256 n = bound(nSeed, 1, 9);
        IRewardSettlementTypes.Node[][] memory levels = _finalEpoch(n, kinds);
        uint256 i = pick % n;
        address p = address(uint160(_ids[i] >> 96)); // the run's player (leaf i is the i-th run by run id)
        (IRewardSettlementTypes.RunClaim memory c, bytes memory packed) = _claim(levels, i);

        // One byte of the packed claim changed: always refused. (Except, today, a change of the index's bits past the
        // tree's depth only: see test_claim_indexPastTheDepth_isRefused, which pins that contract finding.)
        bytes memory mutated = bytes.concat(packed);
        offset = offset % mutated.length;
        mutated[offset] = mutated[offset] ^ bytes1(x == 0 ? 1 : x);
        uint256 depth = c.proof.length;
        uint256 mutatedIndex = uint32(bytes4(bytes.concat(mutated[4], mutated[5], mutated[6], mutated[7])));
        bool onlyPastDepth = offset >= 4 && offset < 8 && (mutatedIndex ^ c.index) >> depth != 0 &&
            (mutatedIndex ^ c.index) & ((1 << depth) - 1) == 0;
        if (!onlyPastDepth) {
            vm.prank(p);
            vm.expectRevert();
            settlement.claimPacked(p, mutated);
        }

        // One proof node changed (its hash or its sum), through the ABI: refused.
        if (c.proof.length > 0) {
            IRewardSettlementTypes.RunClaim[] memory bad = new IRewardSettlementTypes.RunClaim[](1);
            // A fresh struct and fresh nodes (memory assignment would alias the honest claim's).
            bad[0] = IRewardSettlementTypes.RunClaim(
                c.epoch,
                c.index,
                c.runId,
                c.gold,
                new IRewardSettlementTypes.Node[](c.proof.length)
            );
            for (uint256 h; h < c.proof.length; ++h) {
                bad[0].proof[h] = IRewardSettlementTypes.Node(c.proof[h].hash, c.proof[h].sum);
            }
            uint256 h0 = offset % c.proof.length;
            if (x % 2 == 0) bad[0].proof[h0].sum += 1 + x;
            else bad[0].proof[h0].hash = bytes32(uint256(bad[0].proof[h0].hash) ^ (uint256(x) << (offset % 248)));
            vm.prank(p);
            vm.expectRevert();
            settlement.claim(p, bad);
        }

        // The honest claim pays the same both ways.
        IRewardSettlementTypes.RunClaim[] memory good = new IRewardSettlementTypes.RunClaim[](1);
        good[0] = c;
        uint256 snap = vm.snapshotState();
        vm.prank(p);
        uint256 viaAbi = settlement.claim(p, good);
        vm.revertToState(snap);
        vm.prank(p);
        assertEq(settlement.claimPacked(p, packed), viaAbi);
        assertEq(settlement.isClaimed(c.runId), true);
    }

    /// A claim's index is its leaf's position: bits past the tree's depth name no position. Since leaves are in the
    /// clear (their hash no longer holds the position), only the fold's direction bits are checked, so a claim with
    /// index + 2^depth (or any index in a one-run tree) pays. FAILS until RewardSettlement._payLeaf refuses an index
    /// with bits at or past the depth (`if shr(depth, index) { revert InvalidProof() }`, after `depth` is computed).
    function test_claim_indexPastTheDepth_isRefused() public {
        IRewardSettlementTypes.Node[][] memory levels = _finalEpoch(3, 0);
        (IRewardSettlementTypes.RunClaim memory c, ) = _claim(levels, 1);
        address p = address(uint160(c.runId >> 96));
        c.index += 1 << c.proof.length; // position 1 of a depth-2 tree, written as 5
        IRewardSettlementTypes.RunClaim[] memory claims = new IRewardSettlementTypes.RunClaim[](1);
        claims[0] = c;
        vm.prank(p);
        vm.expectRevert(IRewardSettlementErrors.InvalidProof.selector);
        settlement.claim(p, claims);
    }
}

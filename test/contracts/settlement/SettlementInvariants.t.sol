// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IRewardSettlementTypes} from "../../../contracts/interfaces/IRewardSettlement.sol";
import {IRunRegistryTypes} from "../../../contracts/interfaces/IRunRegistry.sol";
import {ISurgeVault} from "../../../contracts/interfaces/ISurgeVault.sol";
import {ISurgeReplayer} from "../../../contracts/interfaces/ISurgeReplayer.sol";
import {RewardSettlement} from "../../../contracts/game/RewardSettlement.sol";
import {RunRegistry} from "../../../contracts/game/RunRegistry.sol";
import {SurgeReplayer} from "../../../contracts/game/SurgeReplayer.sol";
import {WorkerRegistry} from "../../../contracts/depin/WorkerRegistry.sol";
import {GoldToken} from "../../../contracts/token/GoldToken.sol";
import {MockHookToken} from "../../../contracts/mocks/MockHookToken.sol";

/// @notice Drives players, workers and challengers against the settlement stack. Workers attest honest roots, or
/// (when the handler's `forge` flag says so) a root with one wrong gold value, which the handler then challenges;
/// rejected epochs settle run by run through the fallback. Players claim what is final.
/// @dev Trees are built here with OpenZeppelin's commutative pair hashing (what `MerkleProof` verifies); leaves are
/// hashed exactly like StandardMerkleTree's.
contract SettlementHandler is Test {
    uint256 internal constant EPOCH_BLOCKS = 10;
    uint256 internal constant WINDOW = 5;
    uint256 internal constant FALLBACK = 20;
    uint256 internal constant BOND = 1e21;

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
        uint256 index;
        uint256 inputsKind;
    }

    bytes[4] internal _inputs;
    PlayedRun[] internal _runs;
    mapping(uint256 epoch => uint256[] runIndexes) internal _epochRuns;
    mapping(uint256 epoch => bool) public settledEpoch;
    /// @dev Runs the handler saw verified: in a final root or replayed on-chain.
    mapping(uint256 runId => bool) public verified;
    mapping(address worker => uint256) public ghost_bondedIn;
    uint256 public ghost_minted;
    uint256 public ghost_challenges;
    uint256 public ghost_finals;
    uint256 public ghost_replays;
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
        share.mint(w, bond);
        vm.startPrank(w);
        share.approve(address(workers), bond);
        workers.register(bond);
        vm.stopPrank();
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

    function play(uint256 playerSeed, uint256 inputsSeed) external {
        address p = players[playerSeed % 3];
        vm.prank(p);
        try runs.startRun() returns (uint256 runId, bytes32) {
            uint256 kind = inputsSeed % 4;
            vm.prank(p);
            (uint256 epoch, uint256 index) = runs.submitRun(runId, _inputs[kind]);
            _epochRuns[epoch].push(_runs.length);
            _runs.push(PlayedRun(runId, epoch, index, kind));
        } catch {}
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
            (bytes32[] memory leaves, uint256 position) = _leaves(r.epoch, r.runId, false);
            claims[n++] = IRewardSettlementTypes.RunClaim({
                epoch: r.epoch,
                index: r.index,
                runId: r.runId,
                gold: _gold(r),
                totalGold: _total(r.epoch, false),
                proof: _proof(leaves, position)
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
            packed = abi.encodePacked(
                packed,
                uint32(c.epoch),
                uint32(c.index),
                c.runId,
                uint32(c.gold),
                uint64(c.totalGold),
                uint8(c.proof.length),
                c.proof
            );
        }
        ghost_minted += settlement.claimPacked(p, packed);
    }

    // ---------------------------------------------------------------- workers

    /// Settles the next ended epoch: honestly, or with a forged root that the handler then challenges (after which
    /// the epoch's runs settle by on-chain replay).
    function settleNext(bool forge) external {
        // Skip ended epochs without runs.
        while (_epochRuns[_nextEpoch].length == 0 && block.number >= runs.epochEnd(_nextEpoch)) _nextEpoch++;
        uint256 epoch = _nextEpoch;
        uint256 end = runs.epochEnd(epoch);
        if (block.number < end) return;
        _nextEpoch++;
        uint256[] storage idx = _epochRuns[epoch];
        if (idx.length == 0) return;
        if (block.number >= end + FALLBACK) {
            _fallback(epoch); // too late to attest
            return;
        }
        uint256 victim = idx[0];
        (bytes32[] memory leaves, ) = _leaves(epoch, _runs[victim].runId, forge);
        bytes32 root = _root(leaves);
        uint256 total = _total(epoch, forge);
        uint256 attested;
        for (uint256 i; i < workerSet.length && attested < 3; ++i) {
            if (!workers.isEligible(workerSet[i])) continue;
            vm.prank(workerSet[i]);
            settlement.attest(epoch, root, idx.length, total);
            ++attested;
        }
        if (settlement.epochStatus(epoch) != IRewardSettlementTypes.EpochStatus.Challengeable) {
            _fallback(epoch);
            return;
        }
        if (forge) {
            PlayedRun memory r = _runs[victim];
            IRewardSettlementTypes.Leaf memory leaf = IRewardSettlementTypes.Leaf(
                r.index,
                r.runId,
                address(uint160(r.runId >> 96)),
                _gold(r) + 1
            );
            vm.prank(challenger);
            settlement.challenge(epoch, leaf, _proof(leaves, 0), _inputs[r.inputsKind]);
            ++ghost_challenges;
            // The three attesters are out; fresh workers with larger bonds keep a quorum possible.
            for (uint256 i; i < 3; ++i) {
                _addWorker(makeAddr(string.concat("fresh", vm.toString(workerSet.length))), 2e21);
            }
            _fallback(epoch);
            return;
        }
        vm.roll(block.number + WINDOW + 1);
        settlement.finalize(epoch);
        ++ghost_finals;
        for (uint256 i; i < idx.length; ++i) verified[_runs[idx[i]].runId] = true;
        for (uint256 i; i < workerSet.length; ++i) {
            vm.prank(workerSet[i]);
            try settlement.claimAttesterReward(epoch) returns (uint256 amount) {
                ghost_minted += amount;
            } catch {}
        }
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

    function _gold(PlayedRun memory r) private view returns (uint256) {
        return replayer.replay(runs.seedOf(r.runId), _inputs[r.inputsKind]).gold;
    }

    function _total(uint256 epoch, bool forge) private view returns (uint256 total) {
        uint256[] storage idx = _epochRuns[epoch];
        for (uint256 i; i < idx.length; ++i) {
            PlayedRun memory r = _runs[idx[i]];
            uint256 g = _gold(r) + (forge && i == 0 ? 1 : 0);
            total += (g * (10_000 + ((r.runId >> 80) & 0xffff))) / 10_000;
        }
    }

    /// Leaves of `epoch` in submission order, and the position of `runId`.
    function _leaves(
        uint256 epoch,
        uint256 runId,
        bool forgeFirst
    ) private view returns (bytes32[] memory leaves, uint256 position) {
        uint256[] storage idx = _epochRuns[epoch];
        leaves = new bytes32[](idx.length);
        for (uint256 i; i < idx.length; ++i) {
            PlayedRun memory r = _runs[idx[i]];
            uint256 g = _gold(r) + (forgeFirst && i == 0 ? 1 : 0);
            leaves[r.index] = keccak256(
                bytes.concat(keccak256(abi.encode(r.index, r.runId, address(uint160(r.runId >> 96)), g)))
            );
            if (r.runId == runId) position = r.index;
        }
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    function _next(bytes32[] memory level) private pure returns (bytes32[] memory up) {
        up = new bytes32[]((level.length + 1) / 2);
        for (uint256 i; i < up.length; ++i) {
            up[i] = 2 * i + 1 < level.length ? _hashPair(level[2 * i], level[2 * i + 1]) : level[2 * i];
        }
    }

    function _root(bytes32[] memory leaves) private pure returns (bytes32) {
        bytes32[] memory level = leaves;
        while (level.length > 1) level = _next(level);
        return level[0];
    }

    function _proof(bytes32[] memory leaves, uint256 position) private pure returns (bytes32[] memory proof) {
        proof = new bytes32[](32);
        uint256 n;
        bytes32[] memory level = leaves;
        uint256 pos = position;
        while (level.length > 1) {
            uint256 sibling = pos ^ 1;
            if (sibling < level.length) proof[n++] = level[sibling];
            level = _next(level);
            pos >>= 1;
        }
        assembly ("memory-safe") {
            mstore(proof, n)
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
        SurgeReplayer replayer = new SurgeReplayer();
        runs = new RunRegistry(ISurgeVault(address(share)), block.number, 10, 30, 50, 10e21);
        workers = new WorkerRegistry(share, 1e21, 200);
        settlement = new RewardSettlement(
            runs,
            workers,
            ISurgeReplayer(address(replayer)),
            IRewardSettlementTypes.Config({
                epochCap: CAP,
                attesterBps: 500,
                quorumBps: 6_667,
                minAttesters: 2,
                maxAttesters: 16,
                challengeWindow: 5,
                fallbackDelay: 20,
                slashBps: 5_000,
                challengerBps: 5_000
            })
        );
        workers.bindSettlement(address(settlement));
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

    /// The handler reaches every path: final roots and claims, a forged root challenged and slashed, replays.
    function test_handler_reachesEveryPath() public {
        for (uint256 round; round < 3; ++round) {
            for (uint256 i; i < 6; ++i) handler.play(i, i + round);
            handler.advance(15);
            handler.settleNext(round == 1);
            handler.claim(0);
            handler.claim(1);
            handler.claim(5);
        }
        assertGt(handler.ghost_finals(), 0, "no final root");
        assertGt(handler.ghost_challenges(), 0, "no challenge");
        assertGt(handler.ghost_replays(), 0, "no replay");
        assertGt(gold.totalSupply(), 0, "no GOLD");
        assertGt(workers.slashedOf(handler.workerSet(0)), 0, "no slash");
        invariant_supplyEqualsClaims();
        invariant_capsHold();
        invariant_noGoldForUnverifiedRuns();
        invariant_bondsHeldAndSlashesBounded();
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
}

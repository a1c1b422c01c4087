// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Types of RewardSettlement
interface IRewardSettlementTypes {
    /// @notice Where an epoch is in its settlement.
    enum EpochStatus {
        Open, // no root has reached quorum (or the last one was rejected): workers attest
        Challengeable, // a root reached quorum; anyone may challenge it until the window closes
        Finalizable, // the window passed unchallenged; `finalize` (or a claim after it) makes it Final
        Final, // players and attesters claim
        Fallback // no quorum in time and a run was settled by on-chain replay: every run settles that way
    }

    /// @notice Settlement parameters, fixed at deployment.
    struct Config {
        uint256 epochCap; // most GOLD (18 decimals) an epoch mints, players and attesters together
        uint256 attesterBps; // attesters' share of an epoch's emission
        uint256 quorumBps; // share of the eligible stake (WorkerRegistry.eligibleStake) that must sign one root
        uint256 challengeWindow; // blocks a root stays challengeable after reaching quorum
        uint256 fallbackDelay; // blocks after an epoch's end after which runs may be settled by on-chain replay
        uint256 slashBps; // share of each attester's bond slashed (and burned whole) when its root is rejected
    }

    /// @notice A node of an epoch's Merkle sum tree: its hash and the boosted gold of the leaves under it.
    /// The tree of an epoch with `n` runs has depth `d` = the least with 2^d >= n (0 for one run) and 2^d positions:
    /// - position i < n is the leaf of the epoch's i-th run in ascending run-id order (the epoch's runs are its
    ///   RunSubmitted logs; nothing on-chain counts or orders them, so `n` is attested): `hash = bytes32(runId)`, the
    ///   run id itself, in the clear; `sum = gold * (10000 + boostBps(runId)) / 10000` with the replay's raw gold.
    ///   A leaf hides nothing: whatever value a position holds, a watcher reads it as a run id and can prove it
    ///   wrong (no such run in the epoch, out of order, or a wrong sum by replay) without any preimage;
    /// - positions n .. 2^d - 1 are empty: `hash = 0, sum = 0`;
    /// - a parent is `hash = keccak256(abi.encode(left.hash, left.sum, right.hash, right.sum))`,
    ///   `sum = left.sum + right.sum` (mod 2^256).
    /// The root is the top node's hash and the epoch's total boosted gold is its sum. game/chain/tree.ts builds it.
    struct Node {
        bytes32 hash;
        uint256 sum;
    }

    /// @notice One run to claim in `claim`: its epoch, its leaf fields (the player is the claim's) and its proof:
    /// the sibling of each level, from the leaf up. The epoch's total is what the proof folds to.
    struct RunClaim {
        uint256 epoch;
        uint256 index;
        uint256 runId;
        uint256 gold;
        Node[] proof;
    }

    /// @notice A leaf of a root's tree, opened: its position, its node `(bytes32(runId), sum)` and its proof
    /// (siblings from the bottom up, exactly the tree's depth).
    struct LeafOpening {
        uint256 position;
        uint256 runId;
        uint256 sum;
        Node[] proof;
    }

    /// @notice Why a root was rejected.
    enum Fraud {
        WrongLeaf, // a leaf's sum is not its run's replayed gold, boosted (`challengeLeaf`)
        WrongSum, // a node above the positions whose sum is not its children's added, or past 2^256 (`challengeNode`)
        WrongTotal, // the tree's top sum is not the attested total
        BeyondCount, // a position past the run count is not empty (`challenge`)
        WrongDepth, // a run's leaf sits above the positions (`challengeDepth`), or an empty node (hash 0) does
        // (`challengeNode`), standing for positions (and runs) that are not there
        Omitted, // a run submitted in the epoch is not in the tree (`challengeOmission`), or a position below the
        // run count is empty (`challenge`)
        Unordered, // two neighbouring leaves whose run ids are not strictly ascending: a duplicated or misplaced
        // run (`challengeOrder`)
        Invented // a leaf whose value is no run submitted in the epoch (`challengeLeaf`)
    }
}

/// @title Errors of RewardSettlement
interface IRewardSettlementErrors {
    /// @notice `epoch` has not ended: it may be attested from block `endBlock` on.
    error EpochNotEnded(uint256 epoch, uint256 endBlock);
    /// @notice The action needs `epoch` in another status than `status`.
    error WrongEpochStatus(uint256 epoch, IRewardSettlementTypes.EpochStatus status);
    /// @notice A root of no runs for `epoch` (an epoch without runs is never attested).
    error EmptyEpoch(uint256 epoch);
    /// @notice A root of zero.
    error ZeroRoot();
    /// @notice The signers' `stake` is below `quorumBps` of the `eligible` stake (or nobody signed).
    error NoQuorum(uint256 stake, uint256 eligible);
    /// @notice The proof does not show the leaf (or node) in the root.
    error InvalidProof();
    /// @notice A challenge's proof has `length` levels; the epoch's tree has `depth`.
    error ProofLengthMismatch(uint256 length, uint256 depth);
    /// @notice Run `runId` was not submitted in `epoch`: its omission from `epoch`'s tree proves nothing.
    error RunNotInEpoch(uint256 runId, uint256 epoch);
    /// @notice The inputs given do not hash to what run `runId` submitted.
    error InputsMismatch(uint256 runId);
    /// @notice The challenge proves nothing wrong at `position`: what it opened is what the registry, the order and
    /// the replay make it.
    error NoFraud(uint256 position);
    /// @notice The challenge window of `epoch` closed at block `windowEnd`.
    error ChallengeWindowClosed(uint256 epoch, uint256 windowEnd);
    /// @notice Runs of `epoch` may be settled by replay from block `fromBlock` on.
    error FallbackNotOpen(uint256 epoch, uint256 fromBlock);
    /// @notice Run `runId` was not submitted.
    error RunNotSubmitted(uint256 runId);
    /// @notice Run `runId` does not belong to `player`.
    error NotPlayersRun(uint256 runId, address player);
    /// @notice Run `runId` was paid already.
    error AlreadyClaimed(uint256 runId);
    /// @notice `claimPacked`'s bytes end inside a claim (at byte `offset`).
    error MalformedClaims(uint256 offset);
    /// @notice `caller` may not claim for `player`.
    error NotAuthorized(address caller, address player);
    /// @notice Paying `amount` would take `epoch`'s mints past its limit `limit` (only a wrong total can do this).
    error EpochEmissionExceeded(uint256 epoch, uint256 amount, uint256 limit);
    /// @notice `worker` has no attester reward in `epoch` (not a signer of the final root, or paid already).
    error NoAttesterReward(uint256 epoch, address worker);
    /// @notice A configuration value is out of range.
    error InvalidConfig();
}

/// @title Events of RewardSettlement
interface IRewardSettlementEvents is IRewardSettlementTypes {
    /// @notice `worker` submitted an aggregate signature of `root` (`runCount` runs, `totalGold` boosted gold) for
    /// `epoch` in `round` by `attesters` workers with `stake` of bond: a quorum (`QuorumReached` follows). The
    /// `nonSigners` list is in the log, not only in the call: `applySlashes` and attester claims need it, and an
    /// attestation sent through a contract (a wrapper, a multisig) has no `attest` call in its transaction's input.
    event Attested(
        uint256 indexed epoch,
        address indexed worker,
        bytes32 indexed root,
        uint256 round,
        uint256 runCount,
        uint256 totalGold,
        uint256 stake,
        uint256 attesters,
        uint256[] nonSigners
    );
    /// @notice `root` reached quorum for `epoch`; it can be challenged until block `windowEnd`.
    event QuorumReached(uint256 indexed epoch, bytes32 indexed root, uint256 round, uint256 windowEnd);
    /// @notice `root` of `epoch` was rejected by `challenger` because of `fraud` at tree position `position`; its
    /// `signers` are to be slashed by `WorkerRegistry.applySlashes(rejection, …)`. The epoch is open again in round
    /// `round + 1`.
    event RootRejected(
        uint256 indexed epoch,
        bytes32 indexed root,
        address indexed challenger,
        uint256 round,
        uint256 position,
        Fraud fraud,
        uint256 rejection,
        uint256 signers
    );
    /// @notice `epoch` is final with `root`: players share `playerPool` GOLD by boosted gold (`totalGold` in all),
    /// attesters `attesterPool`.
    event EpochFinalized(
        uint256 indexed epoch,
        bytes32 indexed root,
        uint256 totalGold,
        uint256 playerPool,
        uint256 attesterPool
    );
    /// @notice `player` was paid `amount` GOLD for `runs` runs. One event per claim, not per run (per-run logs
    /// would cost a claim over ten epochs ~20,000 gas): the runs are in the transaction's input, and
    /// `isClaimed(runId)` answers per run.
    event RewardsClaimed(address indexed player, uint256 amount, uint256 runs);
    /// @notice Run `runId` of `player` was replayed on-chain (no quorum in time): `gold` paid `amount` GOLD.
    event RunSettledByReplay(
        uint256 indexed runId,
        address indexed player,
        uint256 indexed epoch,
        uint256 gold,
        uint256 amount
    );
    /// @notice `worker` was paid `amount` GOLD for attesting the final root of `epoch`.
    event AttesterRewarded(uint256 indexed epoch, address indexed worker, uint256 amount);
}

/// @title RewardSettlement: optimistic, quorum-attested settlement of runs into GOLD
/// @notice Bonded workers attest each epoch's Merkle sum tree of its runs sorted by run id (see `Node`); a root
/// backed by a quorum of bonded stake opens a challenge window in which one challenge (one replay at most) can reject
/// it and slash its attesters; after the window players claim GOLD. Without quorum in time, runs settle by on-chain
/// replay.
interface IRewardSettlement is IRewardSettlementErrors, IRewardSettlementEvents {
    /// @notice Attests `root` for `epoch` with `signature`, the aggregate BLS signature (G2, 256 bytes) of
    /// `attestationDigest(epoch, round, root, runCount, totalGold)` by every eligible worker but `nonSigners` (their
    /// indices, strictly increasing). Anyone may submit it; it must reach the quorum, which opens the challenge
    /// window. Refused while signers of rejected roots are not yet slashed (`WorkerRegistry.pendingSlashes`).
    function attest(
        uint256 epoch,
        bytes32 root,
        uint256 runCount,
        uint256 totalGold,
        uint256[] calldata nonSigners,
        bytes calldata signature
    ) external;

    /// @notice What workers sign for `root` of `epoch` in `round`: keccak256(abi.encode(chainid, this contract,
    /// epoch, round, root, runCount, totalGold)), 32 bytes hashed to G2 with the attestation tag.
    function attestationDigest(uint256 epoch, uint256 round, bytes32 root, uint256 runCount, uint256 totalGold)
        external
        view
        returns (bytes32);

    /// @notice Proves `epoch`'s challengeable root wrong at one `position`, with no replay: `node` is the root's
    /// node there and `proof` its siblings from the bottom up (exactly the tree's depth; for a one-run tree none, and
    /// `node.sum` must be the attested total, which the root hash does not bind). Rejected if the proof's top sum is
    /// not the attested total (WrongTotal), if the position is past the run count and `node` is not empty
    /// (BeyondCount), or if it is below the count and `node` has hash 0, whatever its sum (Omitted: no leaf hashes
    /// to 0). Each challenge slashes every attester of the root; a challenge that shows nothing reverts `NoFraud`.
    function challenge(uint256 epoch, uint256 position, Node calldata node, Node[] calldata proof) external;

    /// @notice Proves `epoch`'s challengeable root wrong at one of its leaves (any value at a position below the run
    /// count is read as a run id): WrongTotal if the leaf's proof folds to another total; Invented if the registry
    /// has no run `leaf.runId` submitted in `epoch` (`inputs` are then not read); else `inputs` must be the run's
    /// (`InputsMismatch`), and its replay shows WrongLeaf (the leaf's sum is not the replayed gold, boosted).
    function challengeLeaf(uint256 epoch, LeafOpening calldata leaf, bytes calldata inputs) external;

    /// @notice Proves `epoch`'s challengeable root wrong by two neighbouring leaves (`right.position ==
    /// left.position + 1`, both below the run count) whose run ids are not strictly ascending (Unordered): a run
    /// twice, or runs out of order. No replay.
    function challengeOrder(uint256 epoch, LeafOpening calldata left, LeafOpening calldata right) external;

    /// @notice Proves `epoch`'s challengeable root wrong by a run it left out (Omitted): run `runId` was submitted in
    /// `epoch` (else `RunNotInEpoch`) and `neighbours` shows where it belongs and that it is not there: `[first]` at
    /// position 0 with a greater run id, `[last]` at position runCount - 1 with a smaller one, or `[a, b]` at
    /// neighbouring positions with `a.runId < runId < b.runId`. With the order itself unchallengeable (see
    /// `challengeOrder`), the run can be nowhere else. No replay.
    function challengeOmission(uint256 epoch, uint256 runId, LeafOpening[] calldata neighbours) external;

    /// @notice Proves `epoch`'s challengeable root malformed: the node at `position` of the level `proof.length`
    /// below the top (shorter than the tree's depth: above the positions), with `sum`, is `bytes32(runId)` for a run
    /// the registry knows (WrongDepth). A node above the positions is a hash of its children, which nobody can make
    /// equal a chosen run id: such a node is a leaf out of place, and the positions under it are not there.
    function challengeDepth(
        uint256 epoch,
        uint256 position,
        Node[] calldata proof,
        uint256 runId,
        uint256 sum
    ) external;

    /// @notice Proves `epoch`'s challengeable root malformed above its positions: `node` sits at `position` of the
    /// level `proof.length` below the top (`proof`, its siblings from the bottom up, is shorter than the tree's depth;
    /// with no sibling, `node` is the top and its sum must be the attested total). Rejected if the proof's top sum is
    /// not the attested total (WrongTotal), if `node` is empty (hash 0: WrongDepth, positions under it are missing),
    /// or if `left` and `right` are its children (its hash is theirs) and their sums do not add up to its sum
    /// (WrongSum). Such a node cannot be reached from the positions under it, so `challenge` cannot show it.
    function challengeNode(
        uint256 epoch,
        uint256 position,
        Node calldata node,
        Node calldata left,
        Node calldata right,
        Node[] calldata proof
    ) external;

    /// @notice Makes `epoch` final once its root's challenge window has passed. Anyone may call it.
    function finalize(uint256 epoch) external;

    /// @notice Claims GOLD for `player`'s runs (any epochs); caller: the player or one of its session keys.
    function claim(address player, RunClaim[] calldata claims) external returns (uint256 amount);

    /// @notice `claim` with its claims packed, for ~10% less gas over many epochs (the calldata a claim pays for is
    /// mostly proofs; the ABI's 32-byte words around them are the rest). Each claim is 45 bytes then its proof:
    /// `uint32 epoch | uint32 index | uint256 runId | uint32 gold | uint8 proofLength | (bytes32 hash | uint64 sum)
    /// [proofLength]`, back to back. game/chain/claims.ts `encodeClaims` writes it. Leaves whose epoch, index or gold
    /// do not fit 32 bits, or siblings whose sum does not fit 64 (no real run's do), go through `claim`.
    function claimPacked(address player, bytes calldata claims) external returns (uint256 amount);

    /// @notice Pays signer `index` of `epoch`'s final root its share of the attester pool (its bond at the
    /// attestation over the signed stake), to its address; `nonSigners` is the attestation's non-signer list, which
    /// shows that it signed. Anyone may call it; the worker must be checked against every rejection first.
    function claimAttesterReward(uint256 epoch, uint256 index, uint256[] calldata nonSigners)
        external
        returns (uint256 amount);

    /// @notice Without quorum `fallbackDelay` blocks after its epoch, settles `runId` by replaying `inputs`.
    function settleByReplay(uint256 runId, bytes calldata inputs) external returns (uint256 amount);

    /// @notice Status of `epoch` now.
    function epochStatus(uint256 epoch) external view returns (EpochStatus);

    /// @notice The root currently challengeable or final for `epoch` (zero if none), and its challenge window end.
    function rootOf(uint256 epoch) external view returns (bytes32 root, uint256 windowEnd);

    /// @notice Whether run `runId` has been paid.
    function isClaimed(uint256 runId) external view returns (bool);

    /// @notice GOLD minted for `epoch` so far, to players (claims and replays), and the players' limit.
    function epochMinted(uint256 epoch) external view returns (uint256 minted, uint256 limit);

    /// @notice The round of `epoch` (bumped by every rejected root).
    function roundOf(uint256 epoch) external view returns (uint256);

    /// @notice Signed stake and signer count behind `root` in the current round of `epoch` (zero unless it reached
    /// quorum).
    function supportOf(uint256 epoch, bytes32 root, uint256 runCount, uint256 totalGold)
        external
        view
        returns (uint256 stake, uint256 attesters);

    /// @notice The leaf node of run `runId` whose replay earned `gold` (see `Node`): `(bytes32(runId), boosted gold)`.
    function leafNode(uint256 runId, uint256 gold) external pure returns (Node memory);

    /// @notice The depth of an epoch tree of `runCount` runs.
    function treeDepth(uint256 runCount) external pure returns (uint256);

    /// @notice The GOLD token this contract mints.
    function gold() external view returns (address);

    /// @notice The SurgeReplayer used for on-chain replays.
    function replayer() external view returns (address);

    /// @notice The run registry.
    function runs() external view returns (address);

    /// @notice The worker registry.
    function workers() external view returns (address);

    /// @notice The configuration.
    function config() external view returns (Config memory);
}

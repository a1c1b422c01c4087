// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRewardSettlementTypes} from "../../../contracts/interfaces/IRewardSettlement.sol";
import {ISurgeVault} from "../../../contracts/interfaces/ISurgeVault.sol";
import {ISurgeReplayer} from "../../../contracts/interfaces/ISurgeReplayer.sol";
import {RewardSettlement} from "../../../contracts/game/RewardSettlement.sol";
import {RunRegistry} from "../../../contracts/game/RunRegistry.sol";
import {SurgeReplayer} from "../../../contracts/game/SurgeReplayer.sol";
import {WorkerRegistry} from "../../../contracts/depin/WorkerRegistry.sol";
import {MockHookToken} from "../../../contracts/mocks/MockHookToken.sol";
import {BLSTestSigner} from "../../../contracts/mocks/BLSTestSigner.sol";
import {Vm} from "forge-std/Vm.sol";

/// @notice The settlement suites' one deployment (run from the calling test: internal, so `new` and `bindSettlement`
/// come from it): the registry on `share` (a mock sgETH) from the current block, epochs of `epochBlocks`, a submit
/// window of 30 blocks, locks of 50, the full boost at 10 sgETH; a minimum bond of 1 sgETH and an unbonding delay of
/// 200 blocks; quorum two thirds, a challenge window of 5 blocks, the fallback 20 blocks after an epoch, half a bond
/// slashed, 5% of an epoch's emission (at most `epochCap`) to attesters.
library SettlementDeploy {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Game {
        RunRegistry runs;
        WorkerRegistry workers;
        SurgeReplayer replayer;
        RewardSettlement settlement;
    }

    function deploy(MockHookToken share, uint256 epochBlocks, uint256 epochCap) internal returns (Game memory g) {
        g.replayer = new SurgeReplayer();
        g.runs = new RunRegistry(ISurgeVault(address(share)), block.number, epochBlocks, 30, 50, 10e21);
        g.workers = new WorkerRegistry(share, 1e21, 200);
        g.settlement = new RewardSettlement(
            g.runs,
            g.workers,
            ISurgeReplayer(address(g.replayer)),
            IRewardSettlementTypes.Config({
                epochCap: epochCap,
                attesterBps: 500,
                quorumBps: 6_666,
                challengeWindow: 5,
                fallbackDelay: 20,
                slashBps: 5_000
            })
        );
        g.workers.bindSettlement(address(g.settlement));
    }

    /// @notice Registers worker `w` with `bond` (minted to it) and the BLS key of `secretKey`, with its proof of
    /// possession, as the worker itself.
    function registerWorker(
        MockHookToken share,
        WorkerRegistry workers,
        address w,
        uint256 bond,
        uint256 secretKey
    ) internal {
        share.mint(w, bond);
        bytes memory pop = BLSTestSigner.pop(secretKey, address(workers), w, workers.POP_DST());
        bytes memory pk = BLSTestSigner.publicKey(secretKey);
        VM.startPrank(w);
        share.approve(address(workers), bond);
        workers.register(bond, pk, pop);
        VM.stopPrank();
    }
}

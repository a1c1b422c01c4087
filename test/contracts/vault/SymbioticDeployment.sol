// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";

/// @dev The few calls of Symbiotic's core (`@symbioticfi/core` 1.0.3) that the deployment below makes, declared in our
/// own words: Symbiotic's sources say `pragma solidity 0.8.25` exactly, so these tests (^0.8.28) cannot import
/// them; they deploy the contracts from the bytecode Hardhat compiled with solc 0.8.25 (`deployCode`).
interface ISymbioticWhitelist {
    function whitelist(address implementation) external;
    function totalTypes() external view returns (uint64);
}

interface ISymbioticRegistry {
    function registerNetwork() external;
    function registerOperator() external;
}

interface ISymbioticMiddlewareService {
    function setMiddleware(address middleware) external;
}

interface ISymbioticOptIn {
    function optIn(address where) external;
}

interface ISymbioticConfigurator {
    struct InitParams {
        uint64 version;
        address owner;
        bytes vaultParams;
        uint64 delegatorIndex;
        bytes delegatorParams;
        bool withSlasher;
        uint64 slasherIndex;
        bytes slasherParams;
    }

    function create(InitParams calldata params) external returns (address vault, address delegator, address slasher);
}

interface ISymbioticDelegator {
    function setMaxNetworkLimit(uint96 identifier, uint256 amount) external;
    function setNetworkLimit(bytes32 subnetwork, uint256 amount) external;
    function setOperatorNetworkShares(bytes32 subnetwork, address operator, uint256 shares) external;
}

interface ISymbioticSlasher {
    function slash(
        bytes32 subnetwork,
        address operator,
        uint256 amount,
        uint48 captureTimestamp,
        bytes calldata hints
    ) external returns (uint256 slashedAmount);

    function slashableStake(
        bytes32 subnetwork,
        address operator,
        uint48 captureTimestamp,
        bytes calldata hints
    ) external view returns (uint256);
}

/// @dev The Symbiotic vault's calls the tests make besides those of {ISymbioticVault} (which SymbioticStrategy uses).
interface ISymbioticVaultAdmin {
    function deposit(address onBehalfOf, uint256 amount) external returns (uint256, uint256);
    function setIsDepositLimit(bool status) external;
    function setDepositLimit(uint256 limit) external;
    function isDepositLimit() external view returns (bool);
    function depositLimit() external view returns (uint256);
    function activeStake() external view returns (uint256);
}

/// @notice Symbiotic's own contracts, deployed inside a Solidity test as scripts/lib/symbiotic.ts deploys them for the
/// TypeScript suites and the devnet: the factories and registries, the opt-in and middleware services, one vault over
/// `collateral` with a NetworkRestakeDelegator and an instant Slasher, a network (its own middleware) and an operator
/// opted into both, with a network limit and operator shares so that the operator holds the vault's whole stake for
/// the network. The network can then slash through Symbiotic's slasher.
/// @dev Bytecode comes from Hardhat's artifacts of the 0.8.25 build (hardhat.config.ts `npmFilesToBuild`).
abstract contract SymbioticDeployment is Test {
    /// @dev Where Symbiotic sends slashed collateral (the vault's burner), as in scripts/lib/symbiotic.ts.
    address internal constant SYMBIOTIC_BURNER = 0x000000000000000000000000000000000000dEaD;

    struct Symbiotic {
        address vault;
        address delegator;
        address slasher;
        address network;
        address operator;
        address owner;
        bytes32 subnetwork;
    }

    /// @dev Symbiotic's singletons: factories, registries and services.
    struct Core {
        address vaultFactory;
        address delegatorFactory;
        address slasherFactory;
        address networkRegistry;
        address operatorRegistry;
        address middleware;
        address vaultOptIn;
        address networkOptIn;
    }

    /// @notice Deploys Symbiotic with epochs of `epochDuration` seconds over `collateral`; `owner` holds every role.
    function _deploySymbiotic(
        address collateral,
        uint48 epochDuration,
        address owner
    ) internal returns (Symbiotic memory sym) {
        sym.owner = owner;
        sym.network = makeAddr("symbiotic network");
        sym.operator = makeAddr("symbiotic operator");
        sym.subnetwork = bytes32(uint256(uint160(sym.network)) << 96); // identifier 0
        Core memory core = _deployCore(owner);
        _whitelistImplementations(core, owner);
        address configurator = deployCode(
            "VaultConfigurator.sol:VaultConfigurator",
            abi.encode(core.vaultFactory, core.delegatorFactory, core.slasherFactory)
        );
        (sym.vault, sym.delegator, sym.slasher) = ISymbioticConfigurator(configurator).create(
            _initParams(collateral, epochDuration, owner)
        );
        _optIn(core, sym);
    }

    function _deployCore(address owner) private returns (Core memory core) {
        core.vaultFactory = deployCode("VaultFactory.sol:VaultFactory", abi.encode(owner));
        core.delegatorFactory = deployCode("DelegatorFactory.sol:DelegatorFactory", abi.encode(owner));
        core.slasherFactory = deployCode("SlasherFactory.sol:SlasherFactory", abi.encode(owner));
        core.networkRegistry = deployCode("NetworkRegistry.sol:NetworkRegistry");
        core.operatorRegistry = deployCode("OperatorRegistry.sol:OperatorRegistry");
        core.middleware = deployCode(
            "NetworkMiddlewareService.sol:NetworkMiddlewareService",
            abi.encode(core.networkRegistry)
        );
        core.vaultOptIn = deployCode(
            "OptInService.sol:OptInService",
            abi.encode(core.operatorRegistry, core.vaultFactory, "OperatorVaultOptInService")
        );
        core.networkOptIn = deployCode(
            "OptInService.sol:OptInService",
            abi.encode(core.operatorRegistry, core.networkRegistry, "OperatorNetworkOptInService")
        );
    }

    /// @dev The implementations, whitelisted in their factories (version 1 / type 0 each).
    function _whitelistImplementations(Core memory core, address owner) private {
        bytes memory vaultArgs = abi.encode(core.delegatorFactory, core.slasherFactory, core.vaultFactory);
        _whitelist(core.vaultFactory, owner, deployCode("Vault.sol:Vault", vaultArgs));
        bytes memory delegatorArgs = abi.encode(
            core.networkRegistry,
            core.vaultFactory,
            core.vaultOptIn,
            core.networkOptIn,
            core.delegatorFactory,
            ISymbioticWhitelist(core.delegatorFactory).totalTypes()
        );
        address delegator = deployCode("NetworkRestakeDelegator.sol:NetworkRestakeDelegator", delegatorArgs);
        _whitelist(core.delegatorFactory, owner, delegator);
        bytes memory slasherArgs = abi.encode(
            core.vaultFactory,
            core.middleware,
            core.slasherFactory,
            ISymbioticWhitelist(core.slasherFactory).totalTypes()
        );
        _whitelist(core.slasherFactory, owner, deployCode("Slasher.sol:Slasher", slasherArgs));
    }

    /// @dev The network registers, is its own middleware and allows the vault to back it; the operator opts in to
    /// both; the owner gives the network an unlimited limit and the operator all of it.
    function _optIn(Core memory core, Symbiotic memory sym) private {
        vm.startPrank(sym.network);
        ISymbioticRegistry(core.networkRegistry).registerNetwork();
        ISymbioticMiddlewareService(core.middleware).setMiddleware(sym.network);
        ISymbioticDelegator(sym.delegator).setMaxNetworkLimit(0, type(uint256).max);
        vm.stopPrank();
        vm.startPrank(sym.operator);
        ISymbioticRegistry(core.operatorRegistry).registerOperator();
        ISymbioticOptIn(core.vaultOptIn).optIn(sym.vault);
        ISymbioticOptIn(core.networkOptIn).optIn(sym.network);
        vm.stopPrank();
        vm.startPrank(sym.owner);
        ISymbioticDelegator(sym.delegator).setNetworkLimit(sym.subnetwork, type(uint256).max);
        ISymbioticDelegator(sym.delegator).setOperatorNetworkShares(sym.subnetwork, sym.operator, 1);
        vm.stopPrank();
    }

    /// @notice The network's middleware slashes `bps` of the operator's stake slashable at the capture a second ago
    /// (the stake then, less what was slashed since) through Symbiotic's slasher, which cuts active stake and pending
    /// withdrawals pro rata. Returns what it asked for and what Symbiotic slashed (0 if it refused).
    function _symbioticSlash(
        Symbiotic memory sym,
        uint256 bps
    ) internal returns (uint256 asked, uint256 slashed) {
        uint48 capture = uint48(block.timestamp - 1);
        ISymbioticSlasher slasher = ISymbioticSlasher(sym.slasher);
        asked = (slasher.slashableStake(sym.subnetwork, sym.operator, capture, "") * bps) / 10_000;
        if (asked == 0) return (0, 0);
        vm.prank(sym.network);
        try slasher.slash(sym.subnetwork, sym.operator, asked, capture, "") returns (uint256 s) {
            slashed = s;
        } catch {}
    }

    function _whitelist(address factory, address owner, address implementation) private {
        vm.prank(owner);
        ISymbioticWhitelist(factory).whitelist(implementation);
    }

    /// @dev The vault (no deposit whitelist or limit), delegator and slasher parameters of scripts/lib/symbiotic.ts.
    function _initParams(
        address collateral,
        uint48 epochDuration,
        address owner
    ) private pure returns (ISymbioticConfigurator.InitParams memory) {
        bytes memory vaultParams = abi.encode(
            collateral,
            SYMBIOTIC_BURNER,
            epochDuration,
            false, // depositWhitelist
            false, // isDepositLimit
            uint256(0), // depositLimit
            owner, // defaultAdminRoleHolder
            owner, // depositWhitelistSetRoleHolder
            owner, // depositorWhitelistRoleHolder
            owner, // isDepositLimitSetRoleHolder
            owner // depositLimitSetRoleHolder
        );
        address[] memory holders = new address[](1);
        holders[0] = owner;
        // NetworkRestakeDelegator's InitParams: ((defaultAdminRoleHolder, hook, hookSetRoleHolder), address[], address[]).
        bytes memory delegatorParams = abi.encode(DelegatorParams(BaseDelegatorParams(owner, address(0), owner), holders, holders));
        return
            ISymbioticConfigurator.InitParams({
                version: 1,
                owner: owner,
                vaultParams: vaultParams,
                delegatorIndex: 0,
                delegatorParams: delegatorParams,
                withSlasher: true,
                slasherIndex: 0,
                slasherParams: abi.encode(false) // ((isBurnerHook))
            });
    }

    struct BaseDelegatorParams {
        address defaultAdminRoleHolder;
        address hook;
        address hookSetRoleHolder;
    }

    struct DelegatorParams {
        BaseDelegatorParams baseParams;
        address[] networkLimitSetRoleHolders;
        address[] operatorNetworkSharesSetRoleHolders;
    }
}

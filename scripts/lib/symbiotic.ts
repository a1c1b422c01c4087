/**
 * A real Symbiotic deployment on a local chain, from Symbiotic's own contracts (`@symbioticfi/core`, compiled with
 * solc 0.8.25 by hardhat.config.ts): the factories and registries, the opt-in and middleware services, one vault
 * over WETH with a NetworkRestakeDelegator and an instant Slasher, a network (which is its own middleware) and an
 * operator opted into both, with a network limit and operator shares so that the operator holds the vault's whole
 * stake for the network. The network's middleware can then slash through Symbiotic's slasher (`slash`).
 *
 * Used by the devnet (`npm start`, through scripts/lib/deploy.ts) and by the tests; on a real network the Ignition
 * module takes an existing Symbiotic vault instead (ignition/parameters/*.json).
 *
 *   const sym = await deploySymbiotic(connection.viem, { epochDuration: 3_600 });
 *   await sym.slash(parseEther("1")); // Symbiotic's slasher cuts active stake and pending withdrawals pro rata
 */
import type { NetworkConnection } from "hardhat/types/network";
import { encodeAbiParameters, maxUint256, type Address, type Hex } from "viem";

type Viem = NetworkConnection["viem"];
type Wallet = Awaited<ReturnType<Viem["getWalletClients"]>>[number];

/** Where slashed collateral goes (Symbiotic sends it to the vault's burner). */
export const SYMBIOTIC_BURNER: Address = "0x000000000000000000000000000000000000dEaD";
/** The subnetwork identifier the network uses (one subnetwork). */
const SUBNETWORK_ID = 0n;

export interface SymbioticOptions {
  /** Length of a Symbiotic epoch, in seconds (withdrawals wait for the end of the next one). */
  epochDuration: number;
  /** The vault's collateral; a new MockWETH when not given. */
  weth?: Address;
  /** The deployer and vault owner (first wallet by default); the network and operator (default: the deployer). */
  deployer?: Wallet;
  network?: Wallet;
  operator?: Wallet;
}

/** The subnetwork id Symbiotic uses: the network's address, then the 96-bit identifier. */
export function subnetworkOf(network: Address, identifier = SUBNETWORK_ID): Hex {
  return `0x${network.slice(2).toLowerCase()}${identifier.toString(16).padStart(24, "0")}`;
}

export async function deploySymbiotic(viem: Viem, options: SymbioticOptions) {
  if (!Number.isInteger(options.epochDuration) || options.epochDuration <= 0) {
    throw new Error(`epochDuration must be a positive whole number of seconds, got ${options.epochDuration}`);
  }
  const [first] = await viem.getWalletClients();
  const deployer = options.deployer ?? first;
  if (deployer === undefined) throw new Error("no wallet to deploy Symbiotic with");
  const network = options.network ?? deployer;
  const operator = options.operator ?? deployer;
  const publicClient = await viem.getPublicClient();
  const me = deployer.account.address;
  const as = (w: Wallet) => ({ account: w.account });
  const dep = { client: { wallet: deployer } };
  const wait = async (hash: Promise<Hex>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`a Symbiotic setup transaction reverted: ${receipt.transactionHash}`);
  };

  const weth = options.weth ?? (await viem.deployContract("MockWETH", [], dep)).address;
  const vaultFactory = await viem.deployContract("VaultFactory", [me], dep);
  const delegatorFactory = await viem.deployContract("DelegatorFactory", [me], dep);
  const slasherFactory = await viem.deployContract("SlasherFactory", [me], dep);
  const networkRegistry = await viem.deployContract("NetworkRegistry", [], dep);
  const operatorRegistry = await viem.deployContract("OperatorRegistry", [], dep);
  const middlewareService = await viem.deployContract("NetworkMiddlewareService", [networkRegistry.address], dep);
  const operatorVaultOptIn = await viem.deployContract(
    "OptInService",
    [operatorRegistry.address, vaultFactory.address, "OperatorVaultOptInService"],
    dep,
  );
  const operatorNetworkOptIn = await viem.deployContract(
    "OptInService",
    [operatorRegistry.address, networkRegistry.address, "OperatorNetworkOptInService"],
    dep,
  );

  // Implementations, whitelisted in their factories (version 1 / type 0 each).
  const vaultImpl = await viem.deployContract(
    "Vault",
    [delegatorFactory.address, slasherFactory.address, vaultFactory.address],
    dep,
  );
  await wait(vaultFactory.write.whitelist([vaultImpl.address], as(deployer)));
  const delegatorImpl = await viem.deployContract(
    "NetworkRestakeDelegator",
    [
      networkRegistry.address,
      vaultFactory.address,
      operatorVaultOptIn.address,
      operatorNetworkOptIn.address,
      delegatorFactory.address,
      await delegatorFactory.read.totalTypes(),
    ],
    dep,
  );
  await wait(delegatorFactory.write.whitelist([delegatorImpl.address], as(deployer)));
  const slasherImpl = await viem.deployContract(
    "Slasher",
    [vaultFactory.address, middlewareService.address, slasherFactory.address, await slasherFactory.read.totalTypes()],
    dep,
  );
  await wait(slasherFactory.write.whitelist([slasherImpl.address], as(deployer)));
  const configurator = await viem.deployContract(
    "VaultConfigurator",
    [vaultFactory.address, delegatorFactory.address, slasherFactory.address],
    dep,
  );

  // One vault over WETH, no deposit whitelist or limit; the deployer holds every role.
  const vaultParams = encodeAbiParameters(
    [
      {
        type: "tuple",
        components: [
          { name: "collateral", type: "address" },
          { name: "burner", type: "address" },
          { name: "epochDuration", type: "uint48" },
          { name: "depositWhitelist", type: "bool" },
          { name: "isDepositLimit", type: "bool" },
          { name: "depositLimit", type: "uint256" },
          { name: "defaultAdminRoleHolder", type: "address" },
          { name: "depositWhitelistSetRoleHolder", type: "address" },
          { name: "depositorWhitelistRoleHolder", type: "address" },
          { name: "isDepositLimitSetRoleHolder", type: "address" },
          { name: "depositLimitSetRoleHolder", type: "address" },
        ],
      },
    ],
    [
      {
        collateral: weth,
        burner: SYMBIOTIC_BURNER,
        epochDuration: options.epochDuration,
        depositWhitelist: false,
        isDepositLimit: false,
        depositLimit: 0n,
        defaultAdminRoleHolder: me,
        depositWhitelistSetRoleHolder: me,
        depositorWhitelistRoleHolder: me,
        isDepositLimitSetRoleHolder: me,
        depositLimitSetRoleHolder: me,
      },
    ],
  );
  const delegatorParams = encodeAbiParameters(
    [
      {
        type: "tuple",
        components: [
          {
            name: "baseParams",
            type: "tuple",
            components: [
              { name: "defaultAdminRoleHolder", type: "address" },
              { name: "hook", type: "address" },
              { name: "hookSetRoleHolder", type: "address" },
            ],
          },
          { name: "networkLimitSetRoleHolders", type: "address[]" },
          { name: "operatorNetworkSharesSetRoleHolders", type: "address[]" },
        ],
      },
    ],
    [
      {
        baseParams: { defaultAdminRoleHolder: me, hook: "0x0000000000000000000000000000000000000000", hookSetRoleHolder: me },
        networkLimitSetRoleHolders: [me],
        operatorNetworkSharesSetRoleHolders: [me],
      },
    ],
  );
  const slasherParams = encodeAbiParameters(
    [{ type: "tuple", components: [{ name: "baseParams", type: "tuple", components: [{ name: "isBurnerHook", type: "bool" }] }] }],
    [{ baseParams: { isBurnerHook: false } }],
  );
  const init = {
    version: 1n,
    owner: me,
    vaultParams,
    delegatorIndex: 0n,
    delegatorParams,
    withSlasher: true,
    slasherIndex: 0n,
    slasherParams,
  };
  const { result } = await configurator.simulate.create([init], { account: me });
  await wait(configurator.write.create([init], as(deployer)));
  const [vaultAddress, delegatorAddress, slasherAddress] = result;
  const vault = await viem.getContractAt("Vault", vaultAddress);
  const delegator = await viem.getContractAt("NetworkRestakeDelegator", delegatorAddress);
  const slasher = await viem.getContractAt("Slasher", slasherAddress);

  // The network registers, is its own middleware, and allows the vault to back it; the operator opts in to both.
  const subnetwork = subnetworkOf(network.account.address);
  await wait(networkRegistry.write.registerNetwork(as(network)));
  await wait(middlewareService.write.setMiddleware([network.account.address], as(network)));
  await wait(delegator.write.setMaxNetworkLimit([SUBNETWORK_ID, maxUint256], as(network)));
  await wait(operatorRegistry.write.registerOperator(as(operator)));
  await wait(operatorVaultOptIn.write.optIn([vaultAddress], as(operator)));
  await wait(operatorNetworkOptIn.write.optIn([network.account.address], as(operator)));
  await wait(delegator.write.setNetworkLimit([subnetwork, maxUint256], as(deployer)));
  await wait(delegator.write.setOperatorNetworkShares([subnetwork, operator.account.address, 1n], as(deployer)));

  return {
    weth,
    vault,
    delegator,
    slasher,
    subnetwork,
    network: network.account.address,
    operator: operator.account.address,
    addresses: {
      vaultFactory: vaultFactory.address,
      delegatorFactory: delegatorFactory.address,
      slasherFactory: slasherFactory.address,
      networkRegistry: networkRegistry.address,
      operatorRegistry: operatorRegistry.address,
      networkMiddlewareService: middlewareService.address,
      operatorVaultOptInService: operatorVaultOptIn.address,
      operatorNetworkOptInService: operatorNetworkOptIn.address,
      vaultConfigurator: configurator.address,
      vault: vaultAddress,
      delegator: delegatorAddress,
      slasher: slasherAddress,
    },
    /**
     * The network's middleware slashes `amount` of the operator's stake, captured at the latest block, through Symbiotic's
     * slasher; the vault cuts active stake and pending withdrawals pro rata and sends the collateral to the burner.
     * Returns the transaction hash.
     */
    async slash(amount: bigint): Promise<Hex> {
      // The capture must be in the past: the latest block's time is, for the block that will include the slash.
      const capture = Number((await publicClient.getBlock()).timestamp);
      const hash = await slasher.write.slash([subnetwork, operator.account.address, amount, capture, "0x"], as(network));
      await wait(Promise.resolve(hash));
      return hash;
    },
    /**
     * Restaking rewards reaching the position of `staker`: `amount` WETH (the deployer's, wrapped here) deposited into
     * the Symbiotic vault on its behalf, as a network's reward distribution that restakes would.
     */
    async reward(staker: Address, amount: bigint): Promise<void> {
      const mock = await viem.getContractAt("MockWETH", weth);
      await wait(mock.write.deposit({ ...as(deployer), value: amount }));
      await wait(mock.write.approve([vaultAddress, amount], as(deployer)));
      await wait(vault.write.deposit([staker, amount], as(deployer)));
    },
  };
}

export type Symbiotic = Awaited<ReturnType<typeof deploySymbiotic>>;

/**
 * Before the chain layer has loaded: whether the local devnet has a deployment file, and what to do if not. Uses
 * only fetch (the deployment's zod check loads once a file is found).
 */
import { useDeployment } from "../chain/deployment.js";
import { LOCAL_CHAIN_ID, localRpcUrl } from "../chain/rpc.js";

export function LocalNotice() {
  const d = useDeployment(LOCAL_CHAIN_ID);
  if (d.status === "missing") {
    return (
      <div className="notice" role="alert" data-testid="no-deployment">
        No Surge Gold deployment for chain {LOCAL_CHAIN_ID} (Local devnet): the file /deployments/{LOCAL_CHAIN_ID}.json
        is missing. Start the local devnet with <code>npm start</code> (chain, contracts, workers) and reload. The page
        reads the chain at <code>{localRpcUrl()}</code> (change with <code>?rpc=URL</code>). Practice mode works without
        any of this.
      </div>
    );
  }
  if (d.status === "invalid") {
    return (
      <div className="notice" role="alert">
        The deployment file for chain {d.chainId} is not valid: {d.message}
      </div>
    );
  }
  return null;
}

/**
 * Before the chain layer has loaded: whether the local devnet has a deployment file, and what to do if not. Only
 * looks for the file; the chain layer validates it (with zod) when it loads, and reports an invalid one.
 */
import { useQuery } from "@tanstack/react-query";
import { LOCAL_CHAIN_ID, localRpcUrl } from "../chain/rpc.js";

async function deploymentExists(chainId: number): Promise<boolean> {
  try {
    const res = await fetch(`${import.meta.env.BASE_URL}deployments/${chainId}.json`, { cache: "no-store" });
    if (!res.ok) return false;
    await res.json();
    return true;
  } catch {
    return false;
  }
}

export function LocalNotice() {
  const q = useQuery({ queryKey: ["deployment-exists", LOCAL_CHAIN_ID], queryFn: () => deploymentExists(LOCAL_CHAIN_ID) });
  if (q.data === false) {
    return (
      <div className="notice" role="alert" data-testid="no-deployment">
        No Surge Gold deployment for chain {LOCAL_CHAIN_ID} (Local devnet): the file /deployments/{LOCAL_CHAIN_ID}.json
        is missing. Start the local devnet with <code>npm start</code> (chain, contracts, workers) and reload. The page
        reads the chain at <code>{localRpcUrl()}</code> (change with <code>?rpc=URL</code>). Practice mode works without
        any of this.
      </div>
    );
  }
  return null;
}

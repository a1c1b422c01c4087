/**
 * A worker's liveness as the Network panel shows it, from two sources: its own /healthz (the deployment file's
 * `workers` URLs; each answer names the worker, which is how a URL is matched to an address) and its last attestation
 * on-chain. A worker that is bonded but neither answers nor attests is offline, whatever the registry says about its
 * stake.
 */
import { getAddress, type Address } from "viem";
import type { Attestation } from "./settlement-events.js";

// ---- /healthz

export type HealthState = "ok" | "unhealthy" | "down";

export interface HealthAnswer {
  url: string;
  state: HealthState;
  /** The worker that answers at this URL: from this answer, or the last one this page saw (a dead URL says nothing). */
  worker: Address | null;
  /** Why it is unhealthy, as it says. */
  error?: string;
  /** The first block at which this page found it not answering (null while it answers). */
  downSince: bigint | null;
}

/** What this page has learned about each URL: who answers there, and since when it does not. */
const seen = new Map<string, { worker: Address | null; downSince: bigint | null }>();

/** Asks every worker URL for /healthz (at most `timeoutMs` each), remembering who answered where. */
export async function pollHealth(urls: readonly string[], head: bigint, timeoutMs = 2_500): Promise<HealthAnswer[]> {
  return Promise.all(
    urls.map(async (url): Promise<HealthAnswer> => {
      const memory = seen.get(url) ?? { worker: null, downSince: null };
      let answer: { state: HealthState; worker?: string; error?: string };
      try {
        const res = await fetch(`${url.replace(/\/+$/, "")}/healthz`, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
        const body = (await res.json().catch(() => ({}))) as { ok?: boolean; worker?: string; lastError?: string };
        answer = { state: res.ok && body.ok === true ? "ok" : "unhealthy", worker: body.worker, error: body.lastError };
      } catch {
        answer = { state: "down" };
      }
      const worker = answer.worker && /^0x[0-9a-fA-F]{40}$/.test(answer.worker) ? getAddress(answer.worker) : memory.worker;
      const downSince = answer.state === "down" ? (memory.downSince ?? head) : null;
      seen.set(url, { worker, downSince });
      return { url, state: answer.state, worker, error: answer.error, downSince };
    }),
  );
}

// ---- liveness

export type Liveness = "online" | "unhealthy" | "offline" | "attesting" | "unknown";

export interface LivenessVerdict {
  liveness: Liveness;
  /** One short sentence: why. */
  why: string;
}

/**
 * A worker's liveness from its /healthz answer (if this page knows its URL) and its last attestation. `newest` is the
 * newest attestation by any worker: a worker whose last one is of an older epoch, while `newest` is at least `grace`
 * blocks old, missed an epoch the others attested.
 */
export function livenessOf(p: {
  health: HealthAnswer | undefined;
  last: Attestation | undefined;
  newest: Attestation | undefined;
  head: bigint;
  grace?: bigint;
}): LivenessVerdict {
  const { health, last, newest, head } = p;
  const grace = p.grace ?? 5n;
  const missed = newest !== undefined && (last === undefined || last.epoch < newest.epoch) && head - newest.block >= grace;
  if (health?.state === "ok") return { liveness: "online", why: "answers /healthz" };
  if (health?.state === "unhealthy") return { liveness: "unhealthy", why: `answers /healthz: unhealthy${health.error ? ` (${health.error})` : ""}` };
  if (health?.state === "down") {
    if (last !== undefined && health.downSince !== null && last.block > health.downSince) {
      return { liveness: "attesting", why: `its /healthz does not answer this page, but it attested at block ${last.block}` };
    }
    return { liveness: "offline", why: `does not answer /healthz (since block ${health.downSince}) and has not attested since` };
  }
  // No /healthz this page can match to it: the chain alone.
  if (missed) return { liveness: "offline", why: `no /healthz known; it did not attest epoch ${newest.epoch}, which others did` };
  if (last !== undefined) return { liveness: "attesting", why: `no /healthz known; it attested the newest attested epoch (${last.epoch})` };
  return { liveness: "unknown", why: "no /healthz known and no attestation yet" };
}

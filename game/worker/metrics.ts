/**
 * Prometheus metrics of one worker node, on a registry of its own (so that several nodes in one process, as in a
 * test, do not collide).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export type ErrorKind = "rpc" | "replay" | "attest" | "challenge" | "finalize" | "claim" | "tree" | "config";

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly runsReplayed = new Counter({
    name: "surge_worker_runs_replayed_total",
    help: "Runs this worker replayed",
    registers: [this.registry],
  });
  readonly replaySeconds = new Histogram({
    name: "surge_worker_epoch_replay_seconds",
    help: "Time to fetch and replay one epoch's runs and build its tree",
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80],
    registers: [this.registry],
  });
  readonly epochsAttested = new Counter({
    name: "surge_worker_epochs_attested_total",
    help: "Attestations this worker sent (one per epoch and round)",
    registers: [this.registry],
  });
  readonly challengesSent = new Counter({
    name: "surge_worker_challenges_sent_total",
    help: "Challenges this worker sent that rejected a root",
    registers: [this.registry],
  });
  readonly challengesReceived = new Counter({
    name: "surge_worker_challenges_received_total",
    help: "Roots this worker attested that were rejected (each one slashed this worker)",
    registers: [this.registry],
  });
  readonly epochsFinalized = new Counter({
    name: "surge_worker_epochs_finalized_total",
    help: "finalize() calls this worker sent",
    registers: [this.registry],
  });
  readonly rewardsClaimed = new Counter({
    name: "surge_worker_rewards_claimed_total",
    help: "Attester rewards this worker claimed (one per epoch)",
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "surge_worker_errors_total",
    help: "Errors by kind (rpc, replay, attest, challenge, finalize, claim, tree)",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly headBlock = new Gauge({
    name: "surge_worker_head_block",
    help: "Latest block the RPC reported",
    registers: [this.registry],
  });
  readonly safeBlock = new Gauge({
    name: "surge_worker_safe_block",
    help: "Latest block with enough confirmations: the worker acts on this one",
    registers: [this.registry],
  });
  readonly currentEpoch = new Gauge({
    name: "surge_worker_current_epoch",
    help: "Epoch of the safe block",
    registers: [this.registry],
  });
  readonly lastEpochAttested = new Gauge({
    name: "surge_worker_last_epoch_attested",
    help: "Highest epoch this worker attested (-1 if none yet)",
    registers: [this.registry],
  });
  readonly rpcHealthy = new Gauge({
    name: "surge_worker_rpc_healthy",
    help: "1 while the RPC answers, 0 while it has been failing",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "surge_worker_" });
    this.lastEpochAttested.set(-1);
    this.rpcHealthy.set(1);
  }

  error(kind: ErrorKind): void {
    this.errors.inc({ kind });
  }
}

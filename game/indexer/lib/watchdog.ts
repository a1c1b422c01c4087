/**
 * Inside the indexer's process (loaded by ponder.config.ts): when SURGE_PARENT_PID names a process (the devnet sets
 * it), stop gracefully (SIGTERM to ourselves: Ponder's own shutdown) once that process is gone, so an indexer never
 * outlives a devnet that died without stopping it.
 */
export function exitWithParent(env: NodeJS.ProcessEnv = process.env): void {
  const parent = Number(env.SURGE_PARENT_PID ?? 0);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      clearInterval(timer);
      process.kill(process.pid, "SIGTERM");
    }
  }, 2_000);
  timer.unref();
}

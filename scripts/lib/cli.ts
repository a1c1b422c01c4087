/** Small helpers shared by the command-line scripts: a clear error and exit, never a stack trace for bad input. */
export class UsageError extends Error {}

export function fail(message: string, code = 2): never {
  console.error(`error: ${message}`);
  process.exit(code);
}

/** Runs `main`, turning UsageError (and any other error) into one readable line and a non-zero exit. */
export function runCli(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    if (e instanceof UsageError) fail(e.message);
    fail(e instanceof Error ? e.message.split("\n")[0]! : String(e), 1);
  });
}

// Leaving the CLI without cutting its output: process.exit() drops whatever a pipe has not taken yet (a `--json`
// result piped through `cat` stopped at 64 KiB), so the exit waits until stdout and stderr have written everything.
// An empty write's callback runs after every earlier write on the same stream has been handed to the OS.

function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolveDrained) => {
    // A reader that went away (`| head`) ends the wait too: there is nobody left to write to.
    stream.once('error', () => resolveDrained());
    stream.write('', () => resolveDrained());
  });
}

/** Waits for stdout and stderr to drain, then exits with `code` (open handles such as idle workers do not keep us). */
export async function exitAfterDrain(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(code);
}

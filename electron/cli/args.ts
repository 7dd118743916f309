// Command-line parsing: positional verbs plus --flags (boolean, or with a value), and the typed flag readers every
// verb file uses. No dependency needed.
import { resolve } from 'node:path';

/** A mistake in the command line itself (exit code 2, usage printed). */
export class UsageError extends Error {}
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

const BOOLEAN_FLAGS = new Set(['json', 'help', 'no-open', 'wait', 'allow-hub-id', 'full-fine-tune']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else {
        const name = a.slice(2);
        const next = argv[i + 1];
        if (!BOOLEAN_FLAGS.has(name) && next !== undefined && !next.startsWith('--')) {
          flags.set(name, next);
          i++;
        } else flags.set(name, true);
      }
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export function flagString(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagNumber(args: ParsedArgs, name: string): number | undefined {
  const v = flagString(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number`);
  return n;
}

/** Drops undefined members, so optional flags fall back to the contract's defaults. */
export function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** --model as a pack id (hex) or a folder, made absolute (a running host may have another working directory). */
export function modelRef(args: ParsedArgs, usage = ''): string {
  const m = flagString(args, 'model');
  if (!m) throw new UsageError(`--model PACK_ID|PATH is required${usage ? `\n  ${usage}` : ''}`);
  return /^[0-9a-f]{8,64}$/.test(m) ? m : resolve(m);
}

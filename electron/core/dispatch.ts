// The single entry every door uses: look up the call, validate its input with the contract's schema,
// run the handler, and turn any failure into `{ok:false, error:{code, message, detail?}}` (stacks go to the log).
// With contract checks on (MEDBRIDGE_CONTRACT_CHECKS=1, which the test runner sets for every process it starts), a
// call whose output does not match its schema, or a call marked `mutates: false` that commits an audited change,
// fails with `contract/violated` — so every integration and browser test also checks the contract of each call it
// makes.
import { z } from 'zod';
import { CALLS, isCallName } from '../../shared/api/index.ts';
import { AppError, type Result } from '../../shared/errors.ts';
import { capErrorEcho } from '../../shared/error-echo.ts';
import type { CallContext, Handlers } from './handlers.ts';
import { trackChanges } from '../storage/change-tracking.ts';

/** On in tests: see the file's header. */
export const CONTRACT_CHECKS = process.env.MEDBRIDGE_CONTRACT_CHECKS === '1';

export type Dispatch = (name: string, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`), checks = CONTRACT_CHECKS): Dispatch {
  const run = runCall(handlers, log, checks);
  // Every door (IPC, HTTP, CLI) gets its errors from here: cut whatever of the caller's input they would echo.
  return async (name, input, ctx) => {
    const result = await run(name, input, ctx);
    return result.ok ? result : { ok: false, error: capErrorEcho(result.error) };
  };
}

function runCall(handlers: Handlers, log: (message: string) => void, checks: boolean): Dispatch {
  return async (name, input, ctx) => {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'request/unknown-call', message: `MedBridge has no operation called "${name}".`, detail: { call: name } } };
    }
    const def = CALLS[name];
    const parsed = def.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      // `field`: the first input field refused, so a form can put the message at that field.
      return {
        ok: false,
        error: { code: 'request/invalid-input', message: describeIssues(name, parsed.error), detail: { call: name, field: issues[0]?.path ?? '', issues } },
      };
    }
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      if (!checks) return { ok: true, value: await handler(parsed.data, ctx) };
      const { value, changes } = await trackChanges(() => handler(parsed.data, ctx));
      const violation = contractViolation(name, value, changes);
      if (violation) {
        log(`[medbridge] contract violated by ${name}: ${violation}`);
        return { ok: false, error: { code: 'contract/violated', message: `${name} broke its contract: ${violation}`, detail: { call: name } } };
      }
      return { ok: true, value };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toShape() };
      if (e instanceof z.ZodError) return { ok: false, error: { code: 'request/invalid-input', message: describeIssues(name, e) } };
      log(`[medbridge] internal error in ${name}: ${(e as Error).stack ?? String(e)}`);
      return { ok: false, error: { code: 'internal', message: `MedBridge hit an internal error while running ${name}. Details are in the log.` } };
    }
  };
}

/** What a successful call did that its contract does not allow, or null. */
export function contractViolation(name: keyof typeof CALLS, value: unknown, changes: readonly string[]): string | null {
  const def = CALLS[name];
  const out = def.output.safeParse(value);
  if (!out.success) {
    const parts = out.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'output'}: ${i.message}`);
    return `its output does not match the output schema (${parts.join('; ')})`;
  }
  if (!def.mutates && changes.length > 0)
    return `it is marked as not changing anything, yet committed ${changes.length} audited change(s) (${changes.join(', ')})`;
  return null;
}

function describeIssues(name: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
  return `Invalid input for ${name} — ${parts.join('; ')}`;
}

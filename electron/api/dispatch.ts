// The single entry every door uses: look up the call, validate its input with the contract's schema,
// run the handler, and turn any failure into `{ok:false, error:{code, message, detail?}}` (stacks go to the log).
import { z } from 'zod';
import { CALLS, isCallName } from '../../shared/api/index.ts';
import { AppError, type Result } from '../../shared/errors.ts';
import { capErrorEcho } from '../../shared/error-echo.ts';
import type { CallContext, Handlers } from './handlers.ts';

export type Dispatch = (name: string, input: unknown, ctx: CallContext) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers, log: (message: string) => void = (m) => process.stderr.write(`${m}\n`)): Dispatch {
  const run = runCall(handlers, log);
  // Every door (IPC, HTTP, CLI) gets its errors from here: cut whatever of the caller's input they would echo.
  return async (name, input, ctx) => {
    const result = await run(name, input, ctx);
    return result.ok ? result : { ok: false, error: capErrorEcho(result.error) };
  };
}

function runCall(handlers: Handlers, log: (message: string) => void): Dispatch {
  return async (name, input, ctx) => {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'request/unknown-call', message: `MedBridge has no operation called "${name}".`, detail: { call: name } } };
    }
    const def = CALLS[name];
    const parsed = def.input.safeParse(input === undefined ? {} : input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      // `field`: the first input field refused, so a form can put the message at that field.
      return { ok: false, error: { code: 'request/invalid-input', message: describeIssues(name, parsed.error), detail: { call: name, field: issues[0]?.path ?? '', issues } } };
    }
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      return { ok: true, value };
    } catch (e) {
      if (e instanceof AppError) return { ok: false, error: e.toShape() };
      if (e instanceof z.ZodError) return { ok: false, error: { code: 'request/invalid-input', message: describeIssues(name, e) } };
      log(`[medbridge] internal error in ${name}: ${(e as Error).stack ?? String(e)}`);
      return { ok: false, error: { code: 'internal', message: `MedBridge hit an internal error while running ${name}. Details are in the log.` } };
    }
  };
}

function describeIssues(name: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
  return `Invalid input for ${name} — ${parts.join('; ')}`;
}

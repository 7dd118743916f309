// A fake ApiClient for the renderer's state tests: it records every call, checks the input against the call's contract
// (shared/api), and answers with what the test gave for that call name, checked against the contract's output. A call
// the test did not answer fails with `test/unanswered`, so a test sees every call a state makes.
import { CALLS, type CallInput, type CallName, type CallOutput } from '../../../../shared/api/index.ts';
import type { AppErrorShape, Result } from '../../../../shared/errors.ts';
import type { ApiClient, ConnectionState } from '../../../../renderer/src/lib/api/client.ts';

export interface RecordedCall {
  name: CallName;
  input: unknown;
}

type Answer<N extends CallName> = (input: CallInput<N>) => Result<CallOutput<N>> | Promise<Result<CallOutput<N>>>;

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail(code: string, message: string): { ok: false; error: AppErrorShape } {
  return { ok: false, error: { code, message } };
}

export class FakeClient implements ApiClient {
  readonly transport = 'http' as const;
  readonly calls: RecordedCall[] = [];
  readonly #answers = new Map<CallName, Answer<CallName>>();

  /** Answers every later call of this name (replacing an earlier answer). */
  answer<N extends CallName>(name: N, answer: Answer<N> | Result<CallOutput<N>>): this {
    this.#answers.set(name, (typeof answer === 'function' ? answer : () => answer) as unknown as Answer<CallName>);
    return this;
  }

  /** The inputs of the calls of this name, in order. */
  inputs<N extends CallName>(name: N): CallInput<N>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.input as CallInput<N>);
  }

  /** The names of all calls, in order. */
  get names(): CallName[] {
    return this.calls.map((c) => c.name);
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    this.calls.push({ name, input });
    const contract = CALLS[name];
    const checkedInput = contract.input.safeParse(input);
    if (!checkedInput.success) throw new Error(`${name} was called with an input its contract refuses: ${checkedInput.error.message}`);
    const answer = this.#answers.get(name) as Answer<N> | undefined;
    if (!answer) return fail('test/unanswered', `The test gave no answer to ${name}.`);
    const r = await answer(input);
    if (!r.ok) return r;
    const checkedOutput = contract.output.safeParse(r.value);
    if (!checkedOutput.success) throw new Error(`The test's answer to ${name} breaks its contract: ${checkedOutput.error.message}`);
    return r;
  }

  onEvent(): () => void {
    return () => {};
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    listener('live');
    return () => {};
  }

  dispose(): void {}
}

/** Resolves once every pending promise callback (and the ones they queue) has run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise the test resolves when it wants (to hold a call's answer back). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

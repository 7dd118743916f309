// One operation of the contract: a `domain:verb` name, input and output schemas, and whether it changes state
// (state-changing calls write exactly one audit entry in the same transaction as their change).
import type { z } from 'zod';

export interface CallDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly name: `${string}:${string}`;
  readonly summary: string;
  readonly mutates: boolean;
  readonly input: I;
  readonly output: O;
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(def: CallDefinition<I, O>): CallDefinition<I, O> {
  return def;
}

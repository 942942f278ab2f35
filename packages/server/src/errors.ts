// Services return results; procedures turn failures into TRPCErrors with a clear public message.
import { TRPCError } from '@trpc/server';

/** Why a service refused: maps one to one onto a tRPC error code (and so an HTTP status). */
export type FailureCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'SERVICE_UNAVAILABLE';

/** A service's answer: a value, or a failure with a message safe to show the caller. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

/** A refusal with a public message (no SQL, stack or secret). */
export interface Failure {
  readonly code: FailureCode;
  readonly message: string;
}

/**
 * A successful result.
 *
 * @example return ok({ seq: 3n });
 */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/**
 * A failed result.
 *
 * @example return fail('NOT_FOUND', `epoch ${epoch} does not exist`);
 */
export function fail<T = never>(code: FailureCode, message: string): Result<T> {
  return { ok: false, failure: { code, message } };
}

/**
 * The value of `result`, or a TRPCError carrying its failure.
 *
 * @example return unwrap(await readEpoch(ctx.db, input.epoch));
 */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new TRPCError({ code: result.failure.code, message: result.failure.message });
}

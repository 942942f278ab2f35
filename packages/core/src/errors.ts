/** Bad input from a caller: a malformed login, a wrong-length hash, a parameter out of range. */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError';
}

/** A broken internal invariant: a bug in this library, never the caller's fault. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

/** Throws an {@link InvalidArgumentError} with `message` unless `condition` holds. */
export function requireArgument(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvalidArgumentError(message);
}

/** Throws an {@link InvariantError} with `message` unless `condition` holds. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

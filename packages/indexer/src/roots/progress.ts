// Progress of long root work (building, verifying, importing), phase by phase.

/** One step of progress: `done` of `total` units (rows, bytes or steps) in `phase`. */
export interface RootProgressEvent {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

/**
 * A progress callback; called at least at the start and the end of each phase.
 *
 * @example const onProgress: RootProgress = ({ phase, done, total }) => console.error(`${phase} ${done}/${total}`);
 */
export type RootProgress = (event: RootProgressEvent) => void;

/**
 * A callback for one phase, `(done, total)`, forwarding to `onProgress` when there is one.
 *
 * @example const tick = phaseProgress(options.onProgress, 'read-totals'); tick(0, 1);
 */
export function phaseProgress(
  onProgress: RootProgress | undefined,
  phase: string,
): (done: number, total: number) => void {
  return (done, total) => onProgress?.({ phase, done, total });
}

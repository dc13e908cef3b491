/** Loads ./noble.ts (and its ~90 ms of libraries) once, on the first operation that needs it. */
export type Noble = typeof import('./noble.js');

let loading: Promise<Noble> | undefined;

export function loadNoble(): Promise<Noble> {
  loading ??= import('./noble.js');
  return loading;
}

/** ./sm2.ts builds on the noble libraries too, so it is loaded the same way. */
export type Sm2 = typeof import('./sm2.js');

let loadingSm2: Promise<Sm2> | undefined;

export function loadSm2(): Promise<Sm2> {
  loadingSm2 ??= import('./sm2.js');
  return loadingSm2;
}

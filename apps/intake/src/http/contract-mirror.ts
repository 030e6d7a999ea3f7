// The gateway documents answers that other services make (their types are interfaces in libs/contracts, which has
// no OpenAPI decorators) with @ApiProperty classes of its own. These helpers let the compiler hold a mirror to its
// interface: a change to the contract breaks the build here until the mirror follows (views-mirror-contracts.spec.ts).

/** Each key of T, and whether T requires it: a record of this type must name every key, and no other. */
export type Shape<T> = { [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' };

/** `shape<RunView>()({ runId: 'required', accuracy: 'optional', … })`: checked against the interface by the compiler. */
export const shape =
  <T>() =>
  (s: Shape<T>): Shape<T> =>
    s;

/** Every member of a string union, for an `enum` in the document: the compiler refuses a record that misses one. */
export const members =
  <T extends string>() =>
  (record: Record<T, true>): T[] =>
    Object.keys(record) as T[];

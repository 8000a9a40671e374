// The catalogue's actions beyond the seed's five, one folder per area (contacts/, companies/, …),
// each exporting a record of its actions by id. Adding an area is its folder and one spread here;
// ACTIONS (./actions.ts) takes them all, and every face serves them from there.

/**
 * Every catalogue action by id, spread into `ACTIONS`.
 *
 * @example
 * Object.keys(CATALOGUE_ACTIONS); // the ids the catalogue adds
 */
export const CATALOGUE_ACTIONS = {} as const;

/**
 * The page size of a list Intercom answers whole (admins, teams, data attributes): one page, no
 * size sent; a face's page-size request up to this is accepted and has no effect.
 *
 * @example
 * definePagedAction({ id: "ListTeams", cursorPrefix: "teams", maxPageSize: WHOLE_LIST, fetchPage });
 */
export const WHOLE_LIST = 10_000;

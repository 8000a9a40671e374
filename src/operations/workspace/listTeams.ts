import { ok } from "../../contract/index.js";
import { definePagedAction } from "../define-paged-action.js";
import { WHOLE_LIST } from "./whole-list.js";
import { TeamListAnswer } from "./wire.js";

/**
 * `ListTeams`: every team of the workspace, from one `GET /teams` (Intercom does not page it).
 *
 * @example
 * const teams = await listTeams.run(intercom, {});
 * if (teams.ok) for await (const team of teams.value) console.log(team.id, team.name);
 */
export const listTeams = definePagedAction({
  id: "ListTeams",
  cursorPrefix: "teams",
  // Intercom answers the whole list at once: no page size is sent.
  maxPageSize: WHOLE_LIST,
  async fetchPage(intercom) {
    const list = await intercom.request({ what: "GET /teams", answer: TeamListAnswer, send: (sdk, options) => sdk.teams.list(options) });
    return list.ok ? ok({ items: list.value.teams, nextAfter: null }) : list;
  },
});

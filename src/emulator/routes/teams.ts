import type { FastifyInstance } from "fastify";
import { IntercomApiError } from "../errors.js";
import type { TeamRecord } from "../model.js";
import type { Workspace } from "../workspace.js";

/**
 * The team with this id, or Intercom's 404 `team_not_found`.
 *
 * @example
 * const team = requireTeam(workspace, "814865");
 */
export function requireTeam(workspace: Workspace, id: string): TeamRecord {
  const team = workspace.teams.get(id);
  if (team === undefined) throw new IntercomApiError(404, "team_not_found", "Team not found");
  return team;
}

/**
 * A team as the 2.14 `team` schema has it; `assignment_limit` only for load-balanced teams.
 *
 * @example
 * serializeTeam({ id: "1", name: "Support", admin_ids: [991200], assignment_limit: null, distribution_method: "round_robin" });
 */
export function serializeTeam(team: TeamRecord): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: "team",
    id: team.id,
    name: team.name,
    admin_ids: team.admin_ids,
    admin_priority_level: { primary_admin_ids: [], secondary_admin_ids: [] },
    distribution_method: team.distribution_method,
  };
  if (team.assignment_limit !== null) body.assignment_limit = team.assignment_limit;
  return body;
}

/**
 * Adds a team and records it in its admins' `team_ids`, which `GET /admins` shows.
 *
 * @example
 * addTeam(workspace, { name: "Billing", admin_ids: [991200] });
 */
export function addTeam(workspace: Workspace, fields: { name: string; admin_ids: number[]; distribution_method?: TeamRecord["distribution_method"]; assignment_limit?: number | null }): TeamRecord {
  const team: TeamRecord = {
    id: workspace.ids.numeric("team", 814_865),
    name: fields.name,
    admin_ids: [...fields.admin_ids],
    distribution_method: fields.distribution_method ?? "round_robin",
    assignment_limit: fields.assignment_limit ?? null,
  };
  workspace.teams.set(team.id, team);
  for (const adminId of team.admin_ids) {
    const admin = workspace.admins.get(String(adminId));
    if (admin !== undefined && !admin.team_ids.includes(Number(team.id))) {
      workspace.admins.set(admin.id, { ...admin, team_ids: [...admin.team_ids, Number(team.id)] });
    }
  }
  return team;
}

/**
 * Registers `GET /teams` and `GET /teams/{id}`.
 *
 * @example
 * registerTeamRoutes(app);
 */
export function registerTeamRoutes(app: FastifyInstance): void {
  app.get("/teams", async (request) => ({
    type: "team.list",
    teams: [...request.workspace.teams.values()].map(serializeTeam),
  }));

  app.get<{ Params: { team_id: string } }>("/teams/:team_id", async (request) =>
    serializeTeam(requireTeam(request.workspace, request.params.team_id)),
  );
}

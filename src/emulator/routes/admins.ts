import type { FastifyInstance } from "fastify";
import { IntercomApiError } from "../errors.js";
import type { AdminRecord } from "../model.js";
import type { Workspace } from "../workspace.js";


/**
 * The admin with this id, or Intercom's 404 `admin_not_found`.
 *
 * @example
 * const admin = requireAdmin(workspace, request.params.admin_id);
 */
export function requireAdmin(workspace: Workspace, id: string): AdminRecord {
  const admin = workspace.admins.get(id);
  if (admin === undefined) throw new IntercomApiError(404, "admin_not_found", "Admin not found");
  return admin;
}

/**
 * An admin as the 2.14 `admin` schema has it; `avatar` (an image URL) only when asked for, as
 * `GET /admins?display_avatar=true` does.
 *
 * @example
 * serializeAdmin(admin, { avatar: true });
 */
export function serializeAdmin(admin: AdminRecord, options: { avatar: boolean }): Record<string, unknown> {
  const body: Record<string, unknown> = {
    type: "admin",
    id: admin.id,
    name: admin.name,
    email: admin.email,
    job_title: admin.job_title,
    away_mode_enabled: admin.away_mode_enabled,
    away_mode_reassign: admin.away_mode_reassign,
    away_status_reason_id: null,
    has_inbox_seat: admin.has_inbox_seat,
    team_ids: admin.team_ids,
  };
  if (options.avatar) body.avatar = admin.avatar;
  return body;
}

/**
 * The token owner with the workspace's app, as `GET /me` answers (`admin_with_app`).
 *
 * @example
 * reply.send(serializeMe(workspace));
 */
export function serializeMe(workspace: Workspace): Record<string, unknown> {
  const owner = requireAdmin(workspace, workspace.ownerAdminId);
  return {
    type: "admin",
    id: owner.id,
    email: owner.email,
    name: owner.name,
    job_title: owner.job_title,
    away_mode_enabled: owner.away_mode_enabled,
    away_mode_reassign: owner.away_mode_reassign,
    has_inbox_seat: owner.has_inbox_seat,
    team_ids: owner.team_ids,
    email_verified: true,
    avatar: { type: "avatar", image_url: owner.avatar },
    app: {
      type: "app",
      id_code: workspace.id,
      name: workspace.name,
      region: "US",
      timezone: workspace.timezone,
      created_at: workspace.createdAt,
      identity_verification: false,
    },
  };
}

/**
 * Registers `GET /me`, `GET /admins`, `GET /admins/{id}`.
 *
 * @example
 * registerAdminRoutes(app);
 */
export function registerAdminRoutes(app: FastifyInstance): void {
  app.get("/me", async (request) => serializeMe(request.workspace));

  app.get<{ Querystring: { display_avatar?: string } }>("/admins", async (request) => {
    const avatar = request.query.display_avatar === "true";
    return {
      type: "admin.list",
      admins: [...request.workspace.admins.values()].map((a) => serializeAdmin(a, { avatar })),
    };
  });

  app.get<{ Params: { admin_id: string } }>("/admins/:admin_id", async (request) =>
    serializeAdmin(requireAdmin(request.workspace, request.params.admin_id), { avatar: true }),
  );
}

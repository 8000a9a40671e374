import { z } from "zod";
import { defineOperation } from "../define-operation.js";

// Intercom 2.14's `admin` and `team` objects (its OpenAPI description), for pickers and
// assignments. Every property is optional there; the ids and names are always sent.

/** Intercom's per-team priority of an admin. */
const TeamPriorityLevel = z
  .object({
    primary_team_ids: z.array(z.number().int()).nullable().optional().meta({ title: "Primary Team IDs", description: "The teams in which the admin is a primary member." }),
    secondary_team_ids: z.array(z.number().int()).nullable().optional().meta({ title: "Secondary Team IDs", description: "The teams in which the admin is a secondary member." }),
  })
  .nullable();

/**
 * An Intercom admin (teammate), as the 2.14 `admin` object.
 *
 * @example
 * Admin.parse({ type: "admin", id: "991200", name: "Ada", email: "ada@example.com" });
 */
export const Admin = z.object({
  type: z.string().meta({ title: "Type", description: "Always admin." }),
  id: z.string().meta({ title: "Admin ID", description: "Intercom's id of the admin." }),
  name: z.string().meta({ title: "Name", description: "The admin's name." }),
  email: z.string().meta({ title: "Email", description: "The admin's email address." }),
  job_title: z.string().nullable().optional().meta({ title: "Job Title", description: "The admin's job title." }),
  away_mode_enabled: z.boolean().optional().meta({ title: "Away Mode Enabled", description: "Whether the admin is set to away." }),
  away_mode_reassign: z.boolean().optional().meta({ title: "Away Mode Reassign", description: "Whether conversations assigned to the admin while away are reassigned." }),
  away_status_reason_id: z.number().int().nullable().optional().meta({ title: "Away Status Reason ID", description: "Why the admin is away, when set." }),
  has_inbox_seat: z.boolean().optional().meta({ title: "Has Inbox Seat", description: "Whether the admin has a paid inbox seat." }),
  team_ids: z.array(z.number().int()).optional().meta({ title: "Team IDs", description: "The ids of the teams the admin belongs to." }),
  avatar: z.string().nullable().optional().meta({ title: "Avatar", description: "URL of the admin's avatar image." }),
  team_priority_level: TeamPriorityLevel.optional().meta({ title: "Team Priority Level", description: "The admin's priority in each of their teams." }),
});
/** An admin as ListAdmins returns it. */
export type Admin = z.output<typeof Admin>;

/** How a team's admins are prioritised for assignments. */
const AdminPriorityLevel = z
  .object({
    primary_admin_ids: z.array(z.number().int()).nullable().optional().meta({ title: "Primary Admin IDs", description: "The team's primary admins." }),
    secondary_admin_ids: z.array(z.number().int()).nullable().optional().meta({ title: "Secondary Admin IDs", description: "The team's secondary admins." }),
  })
  .nullable();

/**
 * An Intercom team, as the 2.14 `team` object.
 *
 * @example
 * Team.parse({ type: "team", id: "814865", name: "Support", admin_ids: [991200] });
 */
export const Team = z.object({
  type: z.string().meta({ title: "Type", description: "Always team." }),
  id: z.string().meta({ title: "Team ID", description: "Intercom's id of the team." }),
  name: z.string().meta({ title: "Name", description: "The team's name." }),
  admin_ids: z.array(z.number().int()).optional().meta({ title: "Admin IDs", description: "The ids of the admins in the team." }),
  admin_priority_level: AdminPriorityLevel.optional().meta({ title: "Admin Priority Level", description: "Which admins are primary and secondary for assignments." }),
  assignment_limit: z.number().int().nullable().optional().meta({ title: "Assignment Limit", description: "The most open conversations an admin of the team is assigned (balanced assignment)." }),
  distribution_method: z.string().nullable().optional().meta({ title: "Distribution Method", description: "How conversations are assigned: round_robin or balanced." }),
});
/** A team as ListTeams returns it. */
export type Team = z.output<typeof Team>;

/**
 * ListAdmins and ListTeams take no input.
 *
 * @example
 * ListAdminsInput.parse({});
 */
export const ListAdminsInput = z.strictObject({});
/** @example ListTeamsInput.parse({}); */
export const ListTeamsInput = z.strictObject({});

/**
 * The workspace area: its admins and teams.
 *
 * @example
 * WORKSPACE_OPERATIONS.ListAdmins.output.parse([]);
 */
export const WORKSPACE_OPERATIONS = {
  ListAdmins: defineOperation({
    id: "ListAdmins",
    kind: "action",
    summary: "List admins",
    seedName: "",
    description: "Returns every admin (teammate) of your Intercom workspace with their teams and away status.",
    input: ListAdminsInput,
    output: z.array(Admin),
    outputName: "AdminList",
  }),
  ListTeams: defineOperation({
    id: "ListTeams",
    kind: "action",
    summary: "List teams",
    seedName: "",
    description: "Returns every team of your Intercom workspace with the ids of its admins.",
    input: ListTeamsInput,
    output: z.array(Team),
    outputName: "TeamList",
  }),
} as const;

import type { Workspace } from "./workspace.js";

/** What seeding created. */
export interface SeedSummary {
  contacts: number;
  companies: number;
  tags: number;
  conversations: number;
}

/** Fills a workspace with sample data. */
export function seedWorkspace(_workspace: Workspace, _options: { preset: "demo" | "none"; contacts?: number }): SeedSummary {
  return { contacts: 0, companies: 0, tags: 0, conversations: 0 };
}

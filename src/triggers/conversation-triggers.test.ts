import { describe } from "vitest";
import { adminReplies, assignments, closes, contactReplies, ratings } from "./testing/conversation-events.js";
import { describeTriggerScenarios } from "./testing/scenarios.js";

describe("the conversation triggers, under the first four's scenarios", () => {
  for (const maker of [contactReplies, adminReplies, assignments, closes, ratings]) describeTriggerScenarios(maker);
});

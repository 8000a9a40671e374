import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OPERATIONS, operationIds, type ActionId } from "../../contract/index.js";
import { CONNECTOR_ROUTES, routeFor, routeOf, routesOf } from "./routes.js";
import { TRIGGERS } from "../../triggers/index.js";
import { DeadLetterPage, ListLeadsPage, ReplayedDeadLetter, WebhookSubscriptionRequest, WebhookSubscriptionStatus } from "./shapes.js";
import { webhookSubscriptionRequestFor } from "./trigger-filters.js";

const SEED_ACTIONS: readonly string[] = ["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser"];
const catalogueActions = (): ActionId[] => operationIds("action").filter((id) => !SEED_ACTIONS.includes(id));
const SEED_TRIGGERS: readonly string[] = ["TrigNewLead", "TrigNewUser", "TrigUpdateUser", "TrigNewConversation"];
const catalogueTriggers = (): string[] => operationIds("trigger").filter((id) => !SEED_TRIGGERS.includes(id));

describe("the route table", () => {
  it("is the one the service and the OpenAPI file share", () => {
    const seedRoutes = CONNECTOR_ROUTES.filter((route) => route.operation === undefined || !(catalogueActions().includes(route.operation as ActionId) || catalogueTriggers().includes(route.operation)));
    expect(seedRoutes.map((route) => [route.method, route.path, route.operationId, route.kind, route.status])).toEqual([
      ["POST", "/v1/actions/CreateUser", "CreateUser", "action", 200],
      ["POST", "/v1/actions/CreateLead", "CreateLead", "action", 200],
      ["GET", "/v1/actions/ListLeads", "ListLeads", "paged-action", 200],
      ["POST", "/v1/actions/GetLead", "GetLead", "action", 200],
      ["POST", "/v1/actions/GetUser", "GetUser", "action", 200],
      ["POST", "/v1/triggers/TrigNewLead/subscriptions", "TrigNewLead", "webhook-trigger", 201],
      ["GET", "/v1/triggers/TrigNewLead/poll", "TrigNewLeadPolling", "polling-trigger", 200],
      ["POST", "/v1/triggers/TrigNewUser/subscriptions", "TrigNewUser", "webhook-trigger", 201],
      ["GET", "/v1/triggers/TrigNewUser/poll", "TrigNewUserPolling", "polling-trigger", 200],
      ["POST", "/v1/triggers/TrigUpdateUser/subscriptions", "TrigUpdateUser", "webhook-trigger", 201],
      ["GET", "/v1/triggers/TrigUpdateUser/poll", "TrigUpdateUserPolling", "polling-trigger", 200],
      ["POST", "/v1/triggers/TrigNewConversation/subscriptions", "TrigNewConversation", "webhook-trigger", 201],
      ["GET", "/v1/triggers/TrigNewConversation/poll", "TrigNewConversationPolling", "polling-trigger", 200],
      ["DELETE", "/v1/subscriptions/{subscriptionId}", "DeleteSubscription", "unsubscribe", 204],
      ["GET", "/v1/subscriptions/{subscriptionId}", "GetSubscription", "subscription", 200],
      ["GET", "/v1/subscriptions/{subscriptionId}/dead-letters", "ListDeadLetters", "dead-letters", 200],
      ["POST", "/v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay", "ReplayDeadLetter", "replay", 202],
      ["GET", "/v1/pickers/{picker}", "ListPickerValues", "picker", 200],
      ["GET", "/v1/custom-attributes/{model}/schema", "GetCustomAttributeSchema", "attribute-schema", 200],
    ]);
    expect(routeOf("DeleteSubscription")?.url).toBe("/v1/subscriptions/:subscriptionId");
    expect(routeOf("ReplayDeadLetter")?.url).toBe("/v1/subscriptions/:subscriptionId/dead-letters/:eventId/replay");
    expect(routeOf("TrigNewLeadPolling")?.url).toBe("/v1/triggers/TrigNewLead/poll");
    expect(routeOf("Nothing")).toBeUndefined();
    // Each catalogue action: a POST, a paged GET, or a paged POST with its NextPage GET; nothing else.
    for (const id of catalogueActions()) {
      const routes = CONNECTOR_ROUTES.filter((route) => route.operation === id).map((route) => [route.method, route.path, route.operationId, route.kind, route.status]);
      const path = `/v1/actions/${id}`;
      expect([
        [["POST", path, id, "action", 200]],
        [["GET", path, id, "paged-action", 200]],
        [["POST", path, id, "paged-action", 200], ["GET", path, `${id}NextPage`, "next-page", 200]],
      ], id).toContainEqual(routes);
    }
    // Each catalogue trigger: its webhook subscribe POST and its polling GET, as the seed's.
    for (const id of catalogueTriggers()) {
      expect(CONNECTOR_ROUTES.filter((route) => route.operation === id).map((route) => [route.method, route.path, route.operationId, route.kind, route.status]), id).toEqual([
        ["POST", `/v1/triggers/${id}/subscriptions`, id, "webhook-trigger", 201],
        ["GET", `/v1/triggers/${id}/poll`, `${id}Polling`, "polling-trigger", 200],
      ]);
    }
    expect(Object.isFrozen(CONNECTOR_ROUTES) && CONNECTOR_ROUTES.every((route) => Object.isFrozen(route) && Object.isFrozen(route.parameters))).toBe(true);
    // Every path parameter is declared, and every declared one is in the path.
    for (const route of CONNECTOR_ROUTES) {
      const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      expect(route.parameters.filter((parameter) => parameter.in === "path").map((parameter) => parameter.name), route.operationId).toEqual(inPath);
      expect(route.summary.length > 0 && route.description.length > 0, route.operationId).toBe(true);
    }
  });

  it("finds the one route a handler is registered at, and refuses to guess", () => {
    expect(routeFor("paged-action", "ListLeads").path).toBe("/v1/actions/ListLeads");
    expect(routeFor("polling-trigger", "TrigNewUser").operationId).toBe("TrigNewUserPolling");
    expect(routeFor("replay").operationId).toBe("ReplayDeadLetter");
    expect(routesOf("webhook-trigger").map((route) => route.operation)).toEqual(operationIds("trigger"));
    // Several polling triggers, none named: which one is a bug to report, not to pick.
    expect(() => routeFor("polling-trigger")).toThrow(new RegExp(`${operationIds("trigger").length} polling-trigger routes`));
    expect(() => routeFor("action", "ListLeads")).toThrow(/0 action routes for ListLeads/);
  });

  it("carries the schemas to validate with: inputs, outputs, pages, subscriptions", () => {
    for (const id of operationIds("action")) {
      const route = routeOf(id);
      const output: z.ZodType = OPERATIONS[id].output;
      if (route?.kind === "paged-action") {
        // A page of the action's items, whatever the method.
        const page = route.response as z.ZodObject;
        expect((page.shape.value as z.ZodArray).element, id).toBe((output as z.ZodArray).element);
        if (route.method === "GET") {
          expect(route.body, id).toBeUndefined();
          expect(route.parameters.at(-1), id).toMatchObject({ name: "cursor", in: "query", required: false, visibility: "internal" });
        } else {
          expect(route.body, id).toBe(OPERATIONS[id].input);
          expect(route.parameters, id).toEqual([]);
          const next = routeOf(`${id}NextPage`);
          expect(next, id).toMatchObject({ method: "GET", path: route.path, kind: "next-page", visibility: "internal", response: route.response, pageable: true });
          expect(next?.parameters.map((parameter) => [parameter.name, parameter.in, parameter.required])).toEqual([["cursor", "query", true]]);
        }
      } else {
        expect(output, id).not.toBeInstanceOf(z.ZodArray);
        expect(route?.body, id).toBe(OPERATIONS[id].input);
        expect(route?.response, id).toBe(OPERATIONS[id].output);
      }
    }
    expect(routeOf("ListLeads")?.response).toBe(ListLeadsPage);
    expect(routeOf("ListLeads")?.parameters.map((parameter) => [parameter.name, parameter.in, parameter.required, parameter.visibility])).toEqual([["cursor", "query", false, "internal"]]);
    for (const id of operationIds("trigger")) {
      const webhook = routeOf(id);
      // The trigger's filters (none: the plain request) join callback_url in the body.
      expect(webhook?.body).toBe(webhookSubscriptionRequestFor(id));
      if (TRIGGERS[id].filters.length === 0) expect(webhook?.body).toBe(WebhookSubscriptionRequest);
      expect(webhook?.notification).toBe(OPERATIONS[id].output);
      const polling = routeOf(`${id}Polling`);
      expect(polling?.response).toBeInstanceOf(z.ZodArray);
      expect((polling?.response as z.ZodArray).element).toBe(OPERATIONS[id].output);
      expect(polling?.parameters.map((parameter) => [parameter.name, parameter.in, parameter.visibility])).toEqual([
        ["state", "query", "internal"],
        ...TRIGGERS[id].filters.map((filter) => [filter.name, "query", undefined]),
      ]);
    }
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "https://example.com/hook" }).success).toBe(true);
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "ftp://example.com/hook" }).success).toBe(false);
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "https://example.com/hook", extra: 1 }).success).toBe(false);
    expect(ListLeadsPage.safeParse({ value: [] }).success).toBe(true);
    expect(ListLeadsPage.safeParse({ value: [], nextLink: "not a url" }).success).toBe(false);
    expect(routeOf("GetSubscription")?.response).toBe(WebhookSubscriptionStatus);
    expect(routeOf("ListDeadLetters")).toMatchObject({ response: DeadLetterPage, pageable: true, responseName: "ListDeadLetters_Page" });
    expect(routeOf("ListDeadLetters")?.parameters.map((parameter) => [parameter.name, parameter.in, parameter.type ?? "string"])).toEqual([
      ["subscriptionId", "path", "string"],
      ["after", "query", "string"],
      ["limit", "query", "integer"],
    ]);
    expect(routeOf("ReplayDeadLetter")?.response).toBe(ReplayedDeadLetter);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OPERATIONS, operationIds } from "../../contract/index.js";
import { CONNECTOR_ROUTES, routeOf } from "./routes.js";
import { ListLeadsPage, WebhookSubscriptionRequest } from "./shapes.js";

describe("the route table", () => {
  it("is the one the service and the OpenAPI file share", () => {
    expect(CONNECTOR_ROUTES.map((route) => [route.method, route.path, route.operationId, route.kind, route.status])).toEqual([
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
    ]);
    expect(routeOf("DeleteSubscription")?.url).toBe("/v1/subscriptions/:subscriptionId");
    expect(routeOf("TrigNewLeadPolling")?.url).toBe("/v1/triggers/TrigNewLead/poll");
    expect(routeOf("Nothing")).toBeUndefined();
    expect(Object.isFrozen(CONNECTOR_ROUTES) && CONNECTOR_ROUTES.every((route) => Object.isFrozen(route) && Object.isFrozen(route.parameters))).toBe(true);
  });

  it("carries the schemas to validate with: inputs, outputs, pages, subscriptions", () => {
    for (const id of operationIds("action")) {
      const route = routeOf(id);
      if (route?.kind === "paged-action") {
        expect(route.body).toBeUndefined();
        expect(route.response).toBe(ListLeadsPage);
        expect(route.parameters.map((parameter) => [parameter.name, parameter.in, parameter.required, parameter.visibility])).toEqual([["cursor", "query", false, "internal"]]);
      } else {
        expect(route?.body, id).toBe(OPERATIONS[id].input);
        expect(route?.response, id).toBe(OPERATIONS[id].output);
      }
    }
    for (const id of operationIds("trigger")) {
      const webhook = routeOf(id);
      expect(webhook?.body).toBe(WebhookSubscriptionRequest);
      expect(webhook?.notification).toBe(OPERATIONS[id].output);
      const polling = routeOf(`${id}Polling`);
      expect(polling?.response).toBeInstanceOf(z.ZodArray);
      expect((polling?.response as z.ZodArray).element).toBe(OPERATIONS[id].output);
      expect(polling?.parameters.map((parameter) => [parameter.name, parameter.in, parameter.visibility])).toEqual([["state", "query", "internal"]]);
    }
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "https://example.com/hook" }).success).toBe(true);
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "ftp://example.com/hook" }).success).toBe(false);
    expect(WebhookSubscriptionRequest.safeParse({ callback_url: "https://example.com/hook", extra: 1 }).success).toBe(false);
    expect(ListLeadsPage.safeParse({ value: [] }).success).toBe(true);
    expect(ListLeadsPage.safeParse({ value: [], nextLink: "not a url" }).success).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { buildApiProperties } from "./api-properties.js";
import { CONNECTOR_ROUTES } from "./routes.js";
import { apiPropertiesValidator, CERTIFIED_EXAMPLES, POWER_PLATFORM_DIR, readJsonc } from "./testing/power-platform.js";

describe("apiProperties.json", () => {
  it("is valid against Microsoft's paconn-apiProperties.schema.json, with any location", () => {
    for (const options of [{}, { host: "connector.example.com" }, { host: "localhost:3000", basePath: "/intercom", scheme: "http" as const, publisher: "Acme" }]) {
      expect(apiPropertiesValidator()(buildApiProperties(options)), JSON.stringify(options)).toEqual([]);
    }
  });

  it("asks for the API key (secret) and the service's host, and routes calls to that host", () => {
    const { properties } = buildApiProperties({ host: "connector.example.com:8443", basePath: "/intercom" });
    expect(properties.connectionParameters.api_key).toMatchObject({ type: "securestring", uiDefinition: { constraints: { required: "true", clearText: false } } });
    expect(properties.connectionParameters.host).toMatchObject({ type: "string", defaultValue: "connector.example.com:8443" });
    expect(properties.iconBrandColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(properties.capabilities).toEqual(["actions", "triggers"]);
    const nextLink = (operationId: string): unknown =>
      expect.objectContaining({ templateId: "updatenextlink", parameters: { "x-ms-apimTemplate-operationName": [operationId], "x-ms-apimTemplateParameter.nextLinkPropertyName": "nextLink" } });
    // Every operation that answers pages has its nextLink rewritten: each paged action (and the
    // NextPage operation its nextLink names), the dead letters too.
    const paged = CONNECTOR_ROUTES.filter((route) => route.pageable === true).map((route) => route.operationId);
    expect(paged).toEqual(expect.arrayContaining(["ListLeads", "ListDeadLetters"]));
    expect(properties.policyTemplateInstances).toEqual([
      expect.objectContaining({ templateId: "dynamichosturl", parameters: { "x-ms-apimTemplateParameter.urlTemplate": "https://@connectionParameters('host')/intercom" } }),
      ...paged.map(nextLink),
    ]);
    // The service answers Power Automate's polling protocol itself: no pollingtrigger policy.
    expect(JSON.stringify(properties)).not.toContain("pollingtrigger");
    expect(buildApiProperties().properties.connectionParameters.host).not.toHaveProperty("defaultValue");
  });

  it("is checked by a validator that accepts the certified examples and refuses broken files", () => {
    for (const example of CERTIFIED_EXAMPLES) {
      expect(apiPropertiesValidator()(readJsonc(`${POWER_PLATFORM_DIR}/examples/${example}/apiProperties.json`)), example).toEqual([]);
    }
    const good = buildApiProperties();
    const cases: Array<[string, unknown]> = [
      ["no brand colour", { properties: { ...good.properties, iconBrandColor: undefined } }],
      ["an unknown parameter type", { properties: { ...good.properties, connectionParameters: { api_key: { type: "password" } } } }],
      ["an unknown policy", { properties: { ...good.properties, policyTemplateInstances: [{ templateId: "updatenextlink", parameters: {} }] } }],
      ["an unknown property", { properties: { ...good.properties, colour: "#fff" } }],
    ];
    for (const [what, document] of cases) expect(apiPropertiesValidator()(JSON.parse(JSON.stringify(document))).length, what).toBeGreaterThan(0);
  });
});

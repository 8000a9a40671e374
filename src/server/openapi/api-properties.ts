import { OPERATIONS } from "../../contract/index.js";
import type { JsonObject } from "./json-schema.js";
import { API_KEY_HEADER_NAME, API_KEY_SECURITY_NAME, CONNECTOR_INFO, HOST_CONNECTION_PARAMETER, resolveLocation, type ConnectorLocation } from "./metadata.js";
import { CONNECTOR_ROUTES } from "./routes.js";
import { NEXT_LINK_PROPERTY } from "./shapes.js";

/** What {@link buildApiProperties} takes: where the service is, and who publishes the connector. */
export interface ApiPropertiesOptions extends ConnectorLocation {
  /** `publisher` (shown on the connector); left out when not given. */
  publisher?: string | undefined;
}

/**
 * The connector's apiProperties.json for Power Platform (the paconn layout):
 * - connection parameters: the connection's API key (`securestring`, sent as `X-API-Key`) and the
 *   host of the self-hosted service, so one connector serves every instance;
 * - `dynamichosturl`, which sends each call to the connection's host (under the base path);
 * - `updatenextlink` for each operation that answers pages (`pageable` in the route table), so
 *   Power Automate follows `nextLink` through the connector;
 * - no `pollingtrigger` policy: the service speaks Power Automate's polling protocol itself
 *   (202 or 200 with `Location` and `Retry-After`, the state in the `state` query parameter).
 *
 * @example
 * const properties = buildApiProperties({ host: "connector.example.com" });
 * properties.properties.connectionParameters.api_key.type; // "securestring"
 */
export function buildApiProperties(options: ApiPropertiesOptions = {}): { properties: JsonObject & { connectionParameters: Record<string, JsonObject> } } {
  const location = resolveLocation(options);
  const base = location.basePath === "/" ? "" : location.basePath;
  const pagedOperations = CONNECTOR_ROUTES.filter((route) => route.pageable === true).map((route) => route.operationId);
  const hasTriggers = Object.values(OPERATIONS).some((operation) => operation.kind === "trigger");
  const hasActions = Object.values(OPERATIONS).some((operation) => operation.kind === "action");
  return {
    properties: {
      connectionParameters: {
        [HOST_CONNECTION_PARAMETER]: {
          type: "string",
          ...(location.host === undefined ? {} : { defaultValue: location.host }),
          uiDefinition: {
            displayName: "Connector host",
            description: "Host name (and port) of your intercom-connector service",
            tooltip: "For example connector.example.com or connector.example.com:8443, without https://",
            constraints: { tabIndex: 1, clearText: true, required: "true" },
          },
        },
        [API_KEY_SECURITY_NAME]: {
          type: "securestring",
          uiDefinition: {
            displayName: "API key",
            description: `The API key of your connection (sent as ${API_KEY_HEADER_NAME})`,
            tooltip: "Shown once when the connection was created on the connector",
            constraints: { tabIndex: 2, clearText: false, required: "true" },
          },
        },
      },
      iconBrandColor: CONNECTOR_INFO.brandColor,
      capabilities: [...(hasActions ? ["actions"] : []), ...(hasTriggers ? ["triggers"] : [])],
      policyTemplateInstances: [
        {
          templateId: "dynamichosturl",
          title: "Route calls to the connection's host",
          parameters: { "x-ms-apimTemplateParameter.urlTemplate": `${location.scheme}://@connectionParameters('${HOST_CONNECTION_PARAMETER}')${base}` },
        },
        ...pagedOperations.map((operationId) => ({
          templateId: "updatenextlink",
          title: `Page ${operationId} through the connector`,
          parameters: { "x-ms-apimTemplate-operationName": [operationId], "x-ms-apimTemplateParameter.nextLinkPropertyName": NEXT_LINK_PROPERTY },
        })),
      ],
      ...(options.publisher === undefined ? {} : { publisher: options.publisher }),
    },
  };
}

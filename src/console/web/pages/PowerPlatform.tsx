import { Page } from "../components/common";

/** Power Platform: the custom connector's two files for this service's URL, and how to import them. */
export function PowerPlatform() {
  return (
    <Page title="Power Platform">
      <p>
        The custom connector for this service's public URL (<code>PUBLIC_BASE_URL</code>, else the address this page was opened at):
      </p>
      <ul>
        <li>
          <a href="/console/api/power-platform/apiDefinition.swagger.json" download="apiDefinition.swagger.json">
            Download apiDefinition.swagger.json
          </a>
        </li>
        <li>
          <a href="/console/api/power-platform/apiProperties.json" download="apiProperties.json">
            Download apiProperties.json
          </a>
        </li>
      </ul>
      <h2>Power Automate and Power Apps</h2>
      <ol>
        <li>make.powerautomate.com → Data → Custom connectors → New custom connector → Import an OpenAPI file: choose apiDefinition.swagger.json.</li>
        <li>Check the host on the General tab, then Create connector.</li>
        <li>Or, with the Power Platform CLI: <code>paconn create --api-def apiDefinition.swagger.json --api-prop apiProperties.json</code> (both files, so the connection asks for the API key).</li>
        <li>New connection: paste the connection's API key (shown when it was created, or after Rotate API key).</li>
      </ol>
      <h2>Logic Apps</h2>
      <ol>
        <li>Azure portal: create a Logic Apps custom connector, open it and choose Edit.</li>
        <li>Under General, choose Upload an OpenAPI file: apiDefinition.swagger.json (it carries the API key's header, X-API-Key). Update connector.</li>
      </ol>
      <h2>Copilot Studio</h2>
      <ol>
        <li>Import the same connector in Power Apps (above), or with <code>intercom-connector openapi --out DIR --mcp</code> a connector holding only the MCP endpoint.</li>
        <li>In the agent: Tools → Add a tool → Connector, choose it, and sign in with the API key.</li>
      </ol>
    </Page>
  );
}

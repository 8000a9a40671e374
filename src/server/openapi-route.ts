import type { FastifyInstance, FastifyRequest } from "fastify";
import { buildSwagger, type SwaggerOptions } from "./openapi/index.js";
import { OPENAPI_PATH } from "./routes.js";

/**
 * Where the document says the service is: the public base URL, else what the request reached.
 *
 * @example
 * buildSwagger(locationOf(request, deps.publicBaseUrl));
 */
export function locationOf(request: FastifyRequest, publicBaseUrl: string | undefined): SwaggerOptions {
  if (publicBaseUrl !== undefined) {
    const url = new URL(publicBaseUrl);
    return { host: url.host, basePath: url.pathname, scheme: url.protocol === "http:" ? "http" : "https" };
  }
  return { host: request.host, scheme: request.protocol === "http" ? "http" : "https" };
}

/**
 * `GET /openapi.json` (no key): the Swagger 2.0 document Power Platform imports, with `host`,
 * `schemes` and `basePath` set to where the caller reached the service (or `publicBaseUrl`). A
 * host Swagger 2.0 cannot hold (an IPv6 literal) is left out: clients then use the one they
 * fetched the document from.
 *
 * @example
 * registerOpenApiRoute(app, deps.publicBaseUrl);
 * // curl http://127.0.0.1:3000/openapi.json > apiDefinition.swagger.json
 */
export function registerOpenApiRoute(app: FastifyInstance, publicBaseUrl: string | undefined): void {
  app.get(OPENAPI_PATH, async (request) => {
    const location = locationOf(request, publicBaseUrl);
    try {
      return buildSwagger(location);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      return buildSwagger({ ...location, host: undefined });
    }
  });
}

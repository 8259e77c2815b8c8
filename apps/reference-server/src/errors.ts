import { STATUS_CODES } from "node:http";
import type { FastifyReply } from "fastify";

/** The JSON error body of every 4xx and 5xx answer (the spec's `Error` schema). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  detail?: string;
}

/** An error a handler throws to answer a given status with a given message. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly detail?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** An RFC 6749 section 5.2 error of the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly statusCode: 400 | 401,
    readonly code: "invalid_request" | "invalid_client" | "unsupported_grant_type",
    readonly description: string,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export function errorBody(statusCode: number, message: string, detail?: string): ErrorBody {
  const body: ErrorBody = {
    statusCode,
    error: STATUS_CODES[statusCode] ?? "Error",
    message,
  };
  if (detail !== undefined) body.detail = detail;
  return body;
}

export function sendError(
  reply: FastifyReply,
  statusCode: number,
  message: string,
  detail?: string,
): FastifyReply {
  return reply
    .code(statusCode)
    .type("application/json; charset=utf-8")
    .send(errorBody(statusCode, message, detail));
}

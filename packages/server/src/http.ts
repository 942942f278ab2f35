// Small HTTP response helpers.
import type { ServerResponse } from 'node:http';

/**
 * Writes a JSON response.
 *
 * @example sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'no such root' } });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

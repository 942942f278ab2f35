// The REST mirror of the procedures (trpc-to-openapi), fed a body we parsed ourselves: the library's own body reading
// answers 500 for malformed JSON on the standalone adapter and ignores `application/json; charset=utf-8`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOpenApiExpressMiddleware } from 'trpc-to-openapi';
import type { Context } from './context.js';
import { HttpError, readJsonBody, sendJson } from './http.js';
import { appRouter } from './routers/app.js';

type Options = Parameters<typeof createOpenApiExpressMiddleware<typeof appRouter>>[0];

/**
 * The REST handler: JSON bodies of POST/PUT/PATCH/DELETE are parsed here (400 PARSE_ERROR or 413 in the REST error
 * shape when they are bad), then the request goes to trpc-to-openapi's Node handler.
 *
 * @example const rest = createRestHandler({ createContext, maxBodySize: 65536, onError }); await rest(req, res);
 */
export function createRestHandler(
  options: Omit<Options, 'router' | 'createContext'> & { createContext: (opts: never) => Context; maxBodySize: number },
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handler = createOpenApiExpressMiddleware({ ...options, router: appRouter } as Options);
  return async (req, res) => {
    const method = req.method ?? 'GET';
    const contentType = req.headers['content-type'] ?? '';
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && contentType.startsWith('application/json')) {
      try {
        (req as IncomingMessage & { body?: unknown }).body = await readJsonBody(req, options.maxBodySize);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        const code = error.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'PARSE_ERROR';
        sendJson(res, error.status, { message: error.message, code });
        return;
      }
    }
    await handler(req as never, res as never);
  };
}

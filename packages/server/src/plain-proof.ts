// GET /v1/proofs/<seq>/<wallet>: a proof straight from the in-memory tree, with an ETag, cacheable as immutable once
// its root's publish is finalized.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerDeps } from './context.js';
import { sendJson } from './http.js';
import { proofFor } from './proofs.js';

const STATUS = { BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412, SERVICE_UNAVAILABLE: 503 };

/**
 * Answers the plain proof route for `path` (already matched as /v1/proofs/<seq>/<wallet>).
 *
 * @example if (route === 'proof') servePlainProof(req, res, path, deps);
 */
export function servePlainProof(req: IncomingMessage, res: ServerResponse, path: string, deps: ServerDeps): void {
  const [, , , seqText = '', wallet = ''] = path.split('/');
  if (!/^[1-9][0-9]{0,18}$/.test(seqText)) {
    sendJson(res, 400, { error: { code: 'BAD_REQUEST', message: 'seq must be a positive integer' } });
    return;
  }
  const answer = proofFor(deps.trees, deps.feeFor, decodeURIComponent(wallet), BigInt(seqText));
  if (!answer.ok) {
    sendJson(res, STATUS[answer.failure.code], { error: answer.failure });
    return;
  }
  const etag = `"${answer.value.root}-${answer.value.wallet}"`;
  const headers = {
    etag,
    'cache-control': answer.value.finalized ? 'public, max-age=31536000, immutable' : 'public, max-age=5',
  };
  deps.metrics.proofsServed.inc({ via: 'http' });
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  sendJson(res, 200, answer.value, headers);
}

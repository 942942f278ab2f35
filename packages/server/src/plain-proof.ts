// GET /v1/proofs/<seq>/<wallet>: a proof straight from the in-memory tree, with an ETag, cacheable as immutable once
// its root's publish is finalized.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerDeps } from './context.js';
import { sendJson } from './http.js';
import { proofJson } from './proofs.js';

const STATUS = { BAD_REQUEST: 400, NOT_FOUND: 404, CONFLICT: 409, PRECONDITION_FAILED: 412, SERVICE_UNAVAILABLE: 503 };
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=5';
const SEQ = /^[1-9][0-9]{0,18}$/;

/**
 * Answers the plain proof route for `path` (already matched as /v1/proofs/<seq>/<wallet>).
 *
 * @example if (route === 'proof') servePlainProof(req, res, path, deps, requestId);
 */
export function servePlainProof(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ServerDeps,
  requestId: string,
): void {
  // path is /v1/proofs/<seq>/<wallet>: the seq starts at 11, after "/v1/proofs/".
  const slash = path.indexOf('/', 11);
  const seqText = path.slice(11, slash);
  const walletText = path.slice(slash + 1);
  if (!SEQ.test(seqText)) {
    sendJson(
      res,
      400,
      { error: { code: 'BAD_REQUEST', message: 'seq must be a positive integer' } },
      {
        'x-request-id': requestId,
      },
    );
    return;
  }
  const wallet = walletText.includes('%') ? decodeURIComponent(walletText) : walletText;
  const answer = proofJson(deps.trees, deps.feeFor, wallet, BigInt(seqText));
  if (!answer.ok) {
    sendJson(res, STATUS[answer.failure.code], { error: answer.failure }, { 'x-request-id': requestId });
    return;
  }
  const { json, root, finalized } = answer.value;
  const etag = `"${root}-${wallet}"`;
  deps.metrics.proofsServedVia.http.inc();
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { 'x-request-id': requestId, etag, 'cache-control': finalized ? IMMUTABLE : SHORT });
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'application/json',
    'x-request-id': requestId,
    etag,
    'cache-control': finalized ? IMMUTABLE : SHORT,
  });
  res.end(json);
}

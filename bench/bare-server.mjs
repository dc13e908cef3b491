/**
 * The ceiling: a bare node:http server with a tiny handler that reads the whole body and answers a small
 * JSON document with KMS's response headers. It does no parsing, no signature check, no crypto: whatever
 * kmslite does above this is its own cost.
 *
 *   node bench/bare-server.mjs <port> [responseBytes]
 *
 * `responseBytes` pads the answer to the size of the kmslite answer it stands in for (same bytes on the wire).
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2]);
const responseBytes = Number(process.argv[3] ?? 0);
const base = '{"ok":true,"pad":""}';
const body = Buffer.from(base.replace('""', `"${'x'.repeat(Math.max(0, responseBytes - base.length))}"`));
const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': '00000000-0000-4000-8000-000000000000', 'content-length': body.length };

const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());

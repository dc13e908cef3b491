/** A raw HTTP/1.1 request with exactly the headers given (Host included), for the operator-surface tests. */
import { sendHttp, type RawResponse } from '../helpers/fixture.js';

export type Sent = RawResponse;

export function send(endpoint: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Sent> {
  return sendHttp(endpoint, method, path, headers, body);
}

/** Every header name of a response that starts with access-control- (kmslite sends none). */
export function corsHeaders(sent: Sent): string[] {
  return Object.keys(sent.headers).filter((name) => name.startsWith('access-control-'));
}

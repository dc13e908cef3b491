/** A raw HTTP/1.1 request with exactly the headers given (Host included), for the operator-surface tests. */
import { request as httpRequest } from 'node:http';

export interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export function send(endpoint: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Sent> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: url.hostname, port: url.port, method, path, headers, setHost: !Object.keys(headers).some((name) => name.toLowerCase() === 'host') }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every header name of a response that starts with access-control- (kmslite sends none). */
export function corsHeaders(sent: Sent): string[] {
  return Object.keys(sent.headers).filter((name) => name.startsWith('access-control-'));
}

import { createHmac, randomBytes } from 'node:crypto';
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './linggong-api';

/**
 * A third-party platform's client as a platform would write it (issue 18 §5): openapi-fetch over the types that
 * openapi-typescript generated from /api/docs-json (tests/support/linggong-api.d.ts), every request signed by a
 * middleware over the exact bytes sent (docs/api.md "Signed platform calls"). Only node:crypto besides the two
 * libraries: tests/api/openapi.e2e-spec.ts type-checks this file with `tsc --strict` on its own.
 */
export function platformClient(baseUrl: string, appKey: string, secret: string) {
  const signer: Middleware = {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const body = request.method === 'GET' ? '' : await request.clone().text();
      const ts = String(Math.floor(Date.now() / 1000));
      const nonce = randomBytes(16).toString('hex');
      const signature = createHmac('sha256', secret).update(`${ts}\n${nonce}\n${request.method}\n${url.pathname}${url.search}\n${body}`).digest('hex');
      request.headers.set('X-Linggong-Key', appKey);
      request.headers.set('X-Linggong-Timestamp', ts);
      request.headers.set('X-Linggong-Nonce', nonce);
      request.headers.set('X-Linggong-Signature', signature);
      return request;
    },
  };
  const client = createClient<paths>({ baseUrl });
  client.use(signer);
  return client;
}

type PostStatus = 'pending_review' | 'published' | 'rejected' | 'filled' | 'expired' | 'withdrawn' | string;

/** Push one post; the answer's fields as the generated types give them. */
export async function pushPost(client: ReturnType<typeof platformClient>, marketId: string, employerId: string, externalId: string) {
  const { data, error, response } = await client.POST('/api/v1/connect/posts', {
    body: {
      marketId, externalId, employerId, occupation: '装卸搬运工', title: '客户端推送的装卸岗位', headcount: 1, wageFen: 20000,
      wageUnit: 'day', period: 'same_day', startAt: new Date(Date.now() + 3_600_000).toISOString(), place: '中牟县物流园',
    },
  });
  if (!data) return { status: response.status, error };
  const created: boolean = data.created;
  const id: string = data.post.id;
  const postStatus: PostStatus = data.post.status;
  return { status: response.status, created, id, postStatus };
}

/** The platform's own posts at a market. */
export async function myPosts(client: ReturnType<typeof platformClient>, marketId: string, externalId?: string) {
  const { data, response } = await client.GET('/api/v1/connect/posts', { params: { query: { marketId, externalId } } });
  const items: { externalId: string; status: string }[] = data ? data.items.map((p) => ({ externalId: p.externalId, status: p.status })) : [];
  return { status: response.status, items, total: data?.total ?? 0 };
}

/** The province feed's open posts (public, unsigned) and where its changes continue. */
export async function feedOpenPosts(baseUrl: string, region: string) {
  const client = createClient<paths>({ baseUrl });
  const { data, response } = await client.GET('/api/v1/feed/posts', { params: { query: { region, pageSize: 500 } } });
  const ids: string[] = data ? data.items.map((p) => p.id) : [];
  const changesCursor: string | null = data?.changesCursor ?? null;
  return { status: response.status, ids, changesCursor, etag: response.headers.get('etag') };
}

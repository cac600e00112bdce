import { describe, expect, it } from 'vitest';
import { documentCaching } from './cache-document';

const route = (auth: string | undefined, extra: Record<string, unknown> = {}) => ({
  method: 'GET' as const,
  url: '/v1/blogs/:blogId',
  config: auth ? { auth } : {},
  schema: { response: { 200: { type: 'object', ...extra }, 404: { type: 'object' } } },
});

describe('documentCaching', () => {
  it('documents the ETag, Cache-Control and 304 of a public read', () => {
    const r = route(undefined);
    documentCaching(r);
    const responses = r.schema.response as Record<string, { headers?: Record<string, unknown> }>;
    expect(Object.keys(responses['200']?.headers ?? {})).toEqual(['ETag', 'Cache-Control']);
    expect(responses['304']).toMatchObject({ type: 'null', headers: { ETag: expect.anything() } });
  });

  it('documents only private, no-store on an authenticated read, and keeps headers already there', () => {
    const r = route('required', { headers: { 'X-Partial-Response': { type: 'string' } } });
    documentCaching(r);
    const responses = r.schema.response as Record<string, { headers?: Record<string, unknown> }>;
    expect(Object.keys(responses['200']?.headers ?? {})).toEqual(['X-Partial-Response', 'Cache-Control']);
    expect(responses['304']).toBeUndefined();
  });

  it('leaves writes, operations routes and self-described content alone', () => {
    for (const r of [
      { ...route(undefined), method: 'POST' as const },
      { ...route(undefined), url: '/healthz' },
      route('required', { content: { 'text/event-stream': {} } }),
    ]) {
      const before = JSON.stringify(r.schema);
      documentCaching(r);
      expect(JSON.stringify(r.schema)).toBe(before);
    }
  });
});

// Test support: a Server-Sent Events client over fetch, for the live feed route. It parses the subset of the SSE
// format the gateway sends (id, event, data, retry and comment lines, events ended by a blank line); written here
// rather than taken from a library because the tests also need what an EventSource hides: the status and JSON body
// of a refused stream, and explicit control of Last-Event-ID on a reconnect.

/** SseEvent is one event as received. */
export interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** SseStream is an open (or refused) event stream. */
export interface SseStream {
  readonly status: number;
  readonly headers: Headers;
  /** body is the whole body of a refused stream (status other than 200), else ''. */
  readonly body: string;
  /** next resolves with the next event; it rejects after timeoutMs, or when the stream ends. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** close disconnects. */
  close(): void;
}

/** SseOptions: a bearer token, the Last-Event-ID to resume after, other headers. */
export interface SseOptions {
  readonly token?: string;
  readonly lastEventId?: string;
  readonly headers?: Record<string, string>;
}

/** openSse sends GET url with Accept: text/event-stream and resolves once the answer's headers are in. */
export async function openSse(url: string, options: SseOptions = {}): Promise<SseStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  if (response.status !== 200 || !response.body) {
    return {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
      next: () => Promise.reject(new Error(`stream refused with ${response.status}`)),
      close: () => undefined,
    };
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const ready: SseEvent[] = [];
  let buffer = '';
  let ended = false;
  const pump = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) {
      ended = true;
      return;
    }
    buffer += value.replace(/\r\n?/g, '\n');
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = parseBlock(block);
      if (event) ready.push(event);
    }
  };
  let reading: Promise<void> | undefined;
  return {
    status: 200,
    headers: response.headers,
    body: '',
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (ready.length === 0) {
        if (ended) throw new Error('the event stream ended');
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
        reading ??= pump().finally(() => (reading = undefined));
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
        await Promise.race([reading, timeout]);
        clearTimeout(timer);
      }
      return ready.shift() as SseEvent;
    },
    close: () => controller.abort(),
  };
}

/** parseBlock reads one event's lines; a block of comments and retry only is no event. */
function parseBlock(block: string): SseEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join('\n') } : undefined;
}

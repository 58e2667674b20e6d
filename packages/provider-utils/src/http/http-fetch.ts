import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { request, fetch as undiciFetch, type Dispatcher, type RequestInfo } from 'undici';

/** What the SDK hands its fetch: the standard init, plus undici's per-request `dispatcher`. */
export type HttpFetchInit = Parameters<typeof undiciFetch>[1] & { dispatcher?: Dispatcher };

/** Statuses whose response has no body, as fetch defines them. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** How undici's fetch decodes compressed bodies: lenient about a truncated end. */
const ZLIB_OPTIONS = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };

/**
 * The fetch reg's providers hand their vendor SDKs (openai, @anthropic-ai/sdk, @google/genai).
 * undici's fetch sends even a string body through a web ReadableStream and an async generator,
 * and builds a Request, a fetch controller and a header list per call: about 40% of an SDK
 * call's CPU (bench: a gateway hop's largest cost). An SDK's calls (a string or byte body) go
 * through undici's `request` instead: head and body in one write, and a standard Response whose
 * body is a web stream fed straight from the socket.
 *
 * - Failures take fetch's shapes (`fetch failed`, `terminated`, the abort reason), which the SDKs
 *   and each map-<vendor>-error recognise.
 * - The Response and its Headers are Node's own (the global classes), as the SDKs expect:
 *   @google/genai builds a Response per stream event from the answer's headers, which costs a
 *   conversion for any other Headers class.
 * - Unlike fetch it asks for no compression (it still decodes it), and it turns off the pool's
 *   header and body timeouts for its requests, so that only the signal ends a slow call.
 * - `init.dispatcher` picks the pool, as with undici's fetch; without one, undici's global
 *   dispatcher (the one Node's fetch uses).
 * - Everything else (another kind of body, a Request object, following a redirect) is left to
 *   undici's fetch, with the pool's own timeouts.
 */
export async function httpFetch(input: RequestInfo, init: HttpFetchInit = {}): Promise<Response> {
  const body = init.body;
  const simpleBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (!simpleBody || !(typeof input === 'string' || input instanceof URL)) return viaUndiciFetch(input, init);
  const signal = init.signal ?? undefined;
  signal?.throwIfAborted();
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(input, {
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: requestHeaders(init.headers),
      body: body ?? null,
      signal,
      // undici's 5-minute header and body timeouts (any pool's default, Node's own included) would
      // cut a long reasoning call; the caller's signal is the only deadline, as with fetch's callers.
      headersTimeout: 0,
      bodyTimeout: 0,
      ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
    });
  } catch (error) {
    throw fetchError(error, signal, 'fetch failed');
  }
  const status = answer.statusCode;
  if (REDIRECT_STATUSES.has(status) && answer.headers.location !== undefined && init.redirect !== 'manual') {
    // Sent again through undici's fetch, which follows it by fetch's rules (method changes,
    // credentials dropped across origins). Rare enough for the extra request not to matter.
    await answer.body.dump().catch(() => undefined);
    return viaUndiciFetch(input, init);
  }
  if (status < 200 || status > 599) {
    answer.body.destroy();
    // The URL stays out of the message: a query parameter may carry a key.
    throw new TypeError('fetch failed', { cause: new Error(`The server answered with HTTP status ${status}, which fetch cannot represent.`) });
  }
  const headers = responseHeaders(answer.headers);
  const responseInit = { status, statusText: answer.statusText ?? '', headers };
  if (NULL_BODY_STATUSES.has(status) || init.method === 'HEAD') {
    answer.body.dump().catch(() => undefined);
    return new Response(null, responseInit);
  }
  return new Response(webStream(decoded(answer.body, answer.headers['content-encoding']), signal), responseInit);
}

/** undici's fetch, for what `request` does not cover; its Response has the standard shape, under another class. */
async function viaUndiciFetch(input: RequestInfo, init: HttpFetchInit): Promise<Response> {
  return (await undiciFetch(input, init)) as unknown as Response;
}

/** undici's `request` takes a flat array, an object or an iterable of pairs; fetch also takes an array of pairs. */
function requestHeaders(headers: HttpFetchInit['headers']): Dispatcher.RequestOptions['headers'] {
  if (Array.isArray(headers)) return headers.flat();
  return headers as Dispatcher.RequestOptions['headers'];
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/** fetch decodes the codings it knows and passes any other body through as it came. */
function decoded(body: Readable, encoding: string | string[] | undefined): Readable {
  const coding = typeof encoding === 'string' ? encoding.trim().toLowerCase() : undefined;
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip(ZLIB_OPTIONS)
      : coding === 'deflate'
        ? createInflate(ZLIB_OPTIONS)
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return body;
  return pipeline(body, decoder, () => undefined);
}

/**
 * The socket's data as a web stream, with backpressure (the source pauses while the reader is
 * behind). The chunks one socket read delivers (undici hands over each chunk of a chunked body
 * separately) are enqueued as one, as undici's fetch does: an SDK pays per read, and
 * @google/genai parses (and fails to parse) every read as JSON. Cancelling the stream destroys the
 * source, which aborts the request and closes its connection, as cancelling a fetch body does.
 * Failures surface as fetch's do: the abort reason, or `TypeError: terminated` caused by what broke.
 */
function webStream(source: Readable, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let settled = false;
  let pending: Buffer[] = [];
  let flushQueued = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const flush = () => {
        flushQueued = false;
        if (settled || pending.length === 0) return;
        const chunk = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        pending = [];
        controller.enqueue(chunk);
        if ((controller.desiredSize ?? 0) <= 0) source.pause();
      };
      source.on('data', (chunk: Buffer) => {
        if (settled) return;
        pending.push(chunk);
        if (!flushQueued) {
          flushQueued = true;
          queueMicrotask(flush);
        }
      });
      source.once('end', () => {
        if (settled) return;
        flush();
        settled = true;
        controller.close();
      });
      source.once('error', (error: unknown) => {
        if (settled) return;
        settled = true;
        pending = [];
        controller.error(fetchError(error, signal, 'terminated'));
      });
    },
    pull() {
      source.resume();
    },
    cancel() {
      settled = true;
      pending = [];
      source.destroy();
    },
  });
}

function fetchError(error: unknown, signal: AbortSignal | undefined, message: string): unknown {
  if (signal?.aborted && error === signal.reason) return error;
  return new TypeError(message, { cause: error });
}

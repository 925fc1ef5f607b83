import type { ErrorResponse } from '../../server/api/common.types.ts';

/** An API failure in words: what the server said, or what went wrong on the way. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | null = null;

/** The CSRF token from the login or /api/me answer; sent back as X-CSRF-Token on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const statusWords: Record<number, string> = {
  401: 'You are not signed in (or the session expired).',
  403: 'Your role may not see this.',
  404: 'Not found (or not yours to see).',
  429: 'Too many attempts; wait a moment.',
  503: 'Not available yet in this workspace.',
};

async function toError(response: Response): Promise<ApiError> {
  let body: ErrorResponse | null = null;
  try {
    body = (await response.json()) as ErrorResponse;
  } catch {
    body = null;
  }
  const fallback = statusWords[response.status] ?? `The server answered ${response.status}.`;
  const location = body?.error.location;
  const where = location ? [location.file, location.line, location.field].filter(Boolean).join(', ') : '';
  const message = body?.error.message ? `${body.error.message}${where ? ` (${where})` : ''}` : fallback;
  return new ApiError(response.status, body?.error.code ?? 'http', message);
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
};

/** JSON request to the Gleaner API with the session cookie. Throws ApiError with a readable message. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body ?? null,
      credentials: 'same-origin',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Cannot reach the Gleaner server. Is `gleaner serve` running?');
  }
  if (!response.ok) {
    const error = await toError(response);
    if (response.status === 401 && path !== '/api/login')
      window.dispatchEvent(new Event('gleaner:unauthenticated'));
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Builds `path?k=v…`, dropping empty values. */
export function withQuery(
  path: string,
  query: Record<string, string | number | boolean | undefined | null>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

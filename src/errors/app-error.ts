/** Every error Gleaner raises on purpose. The code decides the HTTP status and CLI exit code at the edge. */
export const errorCodes = {
  bad_input: { http: 400, exit: 2 },
  unauthenticated: { http: 401, exit: 3 },
  forbidden: { http: 403, exit: 3 },
  not_found: { http: 404, exit: 4 },
  conflict: { http: 409, exit: 5 },
  rate_limited: { http: 429, exit: 6 },
  unavailable: { http: 503, exit: 7 },
  internal: { http: 500, exit: 1 },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Where in a user's input a problem sits: file, line (1-based), column and field, whichever apply. */
export type InputLocation = {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  record?: string;
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly location: InputLocation | undefined;

  constructor(code: ErrorCode, message: string, options: { location?: InputLocation; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.location = options.location;
  }
}

/** "file:line: field: message" — the one-line form every user-facing input error takes. */
export function formatLocation(location: InputLocation | undefined): string {
  if (!location) return '';
  const where = [location.file, location.line, location.column].filter((x) => x !== undefined).join(':');
  const parts = [
    where,
    location.record ? `record ${location.record}` : '',
    location.field ? `field "${location.field}"` : '',
  ];
  return parts.filter(Boolean).join(', ');
}

export function describeError(error: unknown): string {
  if (error instanceof AppError) {
    const where = formatLocation(error.location);
    return where ? `${where}: ${error.message}` : error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export const badInput = (message: string, location?: InputLocation): AppError =>
  new AppError('bad_input', message, location ? { location } : {});

export const notFound = (message: string): AppError => new AppError('not_found', message);

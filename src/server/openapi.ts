import { z } from 'zod';
import { ErrorResponse } from './api/common.types.ts';
import { routes } from './routes.ts';

type JsonSchema = Record<string, unknown>;

// Named schemas (.meta({ id })) become components; zod emits them as $defs, hoisted here.
const components: Record<string, JsonSchema> = {};

function hoist(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hoist);
  if (value && typeof value === 'object') {
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out[k] = v.replace(/^#\/\$defs\//, '#/components/schemas/');
      else if (k === 'id' && typeof v === 'string' && 'type' in value) continue;
      else out[k] = hoist(v);
    }
    return out;
  }
  return value;
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
  delete json.$defs;
  // Input and output shapes differ (defaults, transforms): name them apart when they do.
  for (const [id, def] of Object.entries(defs)) components[id] ??= hoist(def) as JsonSchema;
  return hoist(json) as JsonSchema;
};

/** Query and path schemas become one OpenAPI parameter per property. */
function parametersOf(schema: z.ZodType | undefined, where: 'query' | 'path'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function openApiDocument(): JsonSchema {
  cached ??= buildDocument();
  return cached;
}

let cached: JsonSchema | undefined;

function buildDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorSchema = toSchema(ErrorResponse, 'output');
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {
      [String(route.status ?? 200)]: {
        description: 'OK',
        content: {
          'application/json': { schema: toSchema(route.response, 'output') },
          ...(route.csv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
        },
      },
      '400': { description: 'Invalid input', content: { 'application/json': { schema: errorSchema } } },
    };
    if (route.access !== 'public') {
      responses['401'] = {
        description: 'Not authenticated',
        content: { 'application/json': { schema: errorSchema } },
      };
      responses['403'] = {
        description: 'Role not allowed, or missing CSRF token on a cookie-authenticated write',
        content: { 'application/json': { schema: errorSchema } },
      };
    }
    if (route.params)
      responses['404'] = {
        description: 'Not found or not in your view',
        content: { 'application/json': { schema: errorSchema } },
      };
    const operation: JsonSchema = {
      operationId: `${route.method}${route.path.replace(/^\/api/, '').replace(/[/:.-]+(\w)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`,
      summary: route.summary,
      tags: [route.tag],
      'x-roles': route.access === 'public' ? 'public' : [...route.access],
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses,
      ...(route.access === 'public' ? { security: [] } : {}),
    };
    if (route.body) {
      const mediaType = route.bodyType === 'multipart' ? 'multipart/form-data' : 'application/json';
      operation.requestBody = {
        required: true,
        content: { [mediaType]: { schema: toSchema(route.body, 'input') } },
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gleaner API',
      version: '0.1.0',
      description:
        'Times are epoch milliseconds (UTC). Cookie-authenticated writes need the X-CSRF-Token header (from GET /api/me or POST /api/login); Bearer-token requests do not.',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }, { bearer: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'gleaner_session' },
        bearer: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}

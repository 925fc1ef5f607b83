import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.ts';
import { routes } from './routes.ts';

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const doc = structuredClone(openApiDocument()) as unknown as OpenAPIV3_1.Document;
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy();
  });

  it('lists every route with its method, roles, parameters and response schema', () => {
    const doc = openApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const expected = routes.map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(listed.sort()).toEqual(expected.sort());
    const leadList = doc.paths['/api/leads']?.get as {
      parameters: Array<{ name: string }>;
      'x-roles': string[];
    };
    expect(leadList.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['status', 'owner', 'source', 'campaign', 'since', 'sort', 'page', 'pageSize']),
    );
    expect(leadList['x-roles']).toEqual(['admin', 'marketing', 'manager', 'rep']);
    const detail = doc.paths['/api/leads/{id}']?.get as { responses: Record<string, unknown> };
    expect(Object.keys(detail.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
  });
});

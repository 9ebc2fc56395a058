/**
 * Renders the OpenAPI document of API v1 as docs/api.md, readable on any Git host:
 *   node --import tsx scripts/api-docs.ts      (npm run docs:api)
 * A test (tests/integration/openapi.test.ts) fails while the file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type OpenApiDocument, type Operation, openApiDocument } from '../server/http/openapi.ts';

type Schema = Record<string, unknown>;

export function apiMarkdown(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      operation,
    })),
  );
  const out: string[] = [
    `# ${doc.info.title} — API ${doc.info.version}`,
    '',
    '> Generated from the OpenAPI 3.1 document the server serves at `GET /api/v1/openapi.json`, by',
    '> `npm run docs:api`. Do not edit: change `server/http/api-routes.ts` or the contract instead.',
    '',
    `Base path: \`${doc.servers[0]?.url}\`.`,
    '',
    doc.info.description,
    '',
  ];
  for (const tag of doc.tags) {
    const ofTag = operations.filter((o) => o.operation.tags.includes(tag.name));
    out.push(`## ${tag.description}`, '');
    for (const { method, path } of ofTag) out.push(`- [\`${method} ${path}\`](#${anchor(method, path)})`);
    out.push('');
    for (const { method, path, operation } of ofTag) out.push(...operationSection(method, path, operation));
  }
  out.push('## Schemas', '', 'The answers, by the names the operations above use.', '');
  for (const [name, schema] of Object.entries(doc.components.schemas)) {
    out.push(`<a id="schema-${name}"></a>`, '', `### ${name}`, '');
    if (typeof schema.description === 'string') out.push(schema.description, '');
    out.push(...fields(schema), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function operationSection(method: string, path: string, operation: Operation): string[] {
  const out = [
    `<a id="${anchor(method, path)}"></a>`,
    '',
    `### \`${method} ${path}\``,
    '',
    `**${operation.summary}.**`,
  ];
  if (operation.description) out.push(operation.description);
  out.push('');
  if (operation.parameters) {
    out.push('| parameter | in | required | type | description |', '|---|---|---|---|---|');
    for (const p of operation.parameters) {
      const row = [
        `\`${p.name}\``,
        p.in,
        p.required ? 'yes' : 'no',
        type(p.schema as Schema),
        p.description ?? '',
      ];
      out.push(`| ${row.map((value) => tableCell(String(value))).join(' | ')} |`);
    }
    out.push('');
  }
  const body = (operation.requestBody as { content: Record<string, { schema: Schema }> } | undefined)
    ?.content['application/json']?.schema;
  if (body) out.push('Body (JSON):', '', ...fields(body), '');
  out.push('| answer | |', '|---|---|');
  for (const [status, response] of Object.entries(operation.responses)) {
    const [media, content] = Object.entries(response.content ?? {})[0] ?? [];
    const shape = media === 'application/json' && content ? type(content.schema) : (media ?? '');
    out.push(`| ${status} | ${tableCell([response.description, shape].filter(Boolean).join(' — '))} |`);
  }
  out.push('');
  return out;
}

/** An object's fields as a table; a list of objects as "a list of" and the table; else its type. */
function fields(schema: Schema): string[] {
  const items = schema.type === 'array' ? (schema.items as Schema) : null;
  const object = items ?? schema;
  const properties = object.properties as Record<string, Schema> | undefined;
  if (!properties) return [type(schema)];
  const required = new Set((object.required as string[] | undefined) ?? []);
  const out = items ? [`A list${bounds(schema, 'minItems', 'maxItems', ' items')} of:`, ''] : [];
  out.push('| field | type | required | description |', '|---|---|---|---|');
  for (const [name, property] of Object.entries(properties)) {
    const row = [
      `\`${name}\``,
      type(property),
      required.has(name) ? 'yes' : 'no',
      property.description ?? '',
    ];
    out.push(`| ${row.map((value) => tableCell(String(value))).join(' | ')} |`);
  }
  return out;
}

/** A compact, TypeScript-like notation of a JSON Schema. */
function type(schema: Schema): string {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return `[${name}](#schema-${name})`;
  }
  const union = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (union) return union.map(type).join(' | ');
  if (schema.allOf) return (schema.allOf as Schema[]).map(type).join(' & ');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.map((t) => type({ ...schema, type: t })).join(' | ');
  switch (schema.type) {
    case 'array': {
      const item = type(schema.items as Schema);
      return `${/[ |]/.test(item) && !item.startsWith('{') ? `(${item})` : item}[]${bounds(schema, 'minItems', 'maxItems', ' items')}`;
    }
    case 'object': {
      const properties = schema.properties as Record<string, Schema> | undefined;
      if (!properties) {
        const values = schema.additionalProperties;
        return values && typeof values === 'object'
          ? `{ [key: string]: ${type(values as Schema)} }`
          : 'object';
      }
      const required = new Set((schema.required as string[] | undefined) ?? []);
      const entries = Object.entries(properties).map(
        ([name, property]) => `${name}${required.has(name) ? '' : '?'}: ${type(property)}`,
      );
      return `{ ${entries.join('; ')} }`;
    }
    case 'string': {
      const facets = [
        schema.format,
        schema.pattern && `\`${schema.pattern}\``,
        bounds(schema, 'minLength', 'maxLength', ' characters').trim(),
      ].filter(Boolean);
      return facets.length > 0 ? `string (${facets.join(', ')})` : 'string';
    }
    case 'integer':
    case 'number': {
      const range = bounds(schema, 'minimum', 'maximum', '').trim();
      return range ? `${schema.type} ${range}` : String(schema.type);
    }
    case undefined:
      return 'any';
    default:
      return String(schema.type);
  }
}

/** ` 1–5`, ` ≥ 1`, ` ≤ 64` or nothing, from a pair of bounds. */
function bounds(schema: Schema, low: string, high: string, unit: string): string {
  const [min, max] = [schema[low], schema[high]];
  if (min !== undefined && max !== undefined) return ` ${min}–${max}${unit}`;
  if (min !== undefined) return ` ≥ ${min}${unit}`;
  if (max !== undefined) return ` ≤ ${max}${unit}`;
  return '';
}

function anchor(method: string, path: string): string {
  return `${method}${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-$/, '');
}

/** Table cells: a pipe would end the cell, a line break the row, `<id>` would be read as HTML. */
function tableCell(text: string): string {
  return text
    .replaceAll('|', '\\|')
    .replaceAll('<', '&lt;')
    .replace(/\s*\n\s*/g, ' ');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = join(import.meta.dirname, '..', 'docs', 'api.md');
  writeFileSync(target, apiMarkdown(openApiDocument()));
  process.stdout.write(`wrote ${target}\n`);
}

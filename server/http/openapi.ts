/**
 * API v1 as an OpenAPI 3.1 document, generated from the route table (api-routes.ts) and the zod schemas
 * of the contract with zod's own JSON Schema output. Served at `/api/v1/openapi.json`; `npm run
 * docs:api` renders it as docs/api.md.
 */
import { z } from 'zod';
import * as answers from '../contract/answers.ts';
import { API_BASE } from '../contract/api.ts';
import type { ErrorCode } from '../contract/error-codes.ts';
import { idempotencyKeyHeader } from '../contract/schemas.ts';
import { type Access, API_ROUTES, type ApiRoute, type RequestHeader, TAGS } from './api-routes.ts';

type Json = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json>; securitySchemes: Record<string, Json> };
};
export type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, { description: string; content?: Record<string, { schema: Json }> }>;
  'x-hallq-access': Access;
  'x-hallq-demo-only'?: true;
};

const SESSION_ROLES = { person: ['staff', 'manager'], manager: ['manager'] };

/** Who may call, as security requirements (role names in the arrays, as OpenAPI 3.1 allows). */
const SECURITY: Record<Access, Record<string, string[]>[]> = {
  public: [],
  screen: [{ deviceToken: ['kiosk', 'display'] }],
  kiosk: [{ deviceToken: ['kiosk'] }, { session: SESSION_ROLES.person }],
  customer: [{ customerToken: [] }],
  person: [{ session: SESSION_ROLES.person }],
  manager: [{ session: SESSION_ROLES.manager }],
};

const ACCESS_TEXT: Record<Access, string> = {
  public: 'Anyone on the hall network.',
  screen: 'A paired kiosk or wall display (its token as `Authorization: Bearer …`).',
  kiosk: 'A paired kiosk (its token), or a signed-in person; anyone in demo mode.',
  customer: 'An identified customer, with the `X-Customer-Token` the kiosk got at identification.',
  person: 'Staff or a manager, signed in.',
  manager: 'A manager, signed in.',
};

/** The first 401 a caller without the right gets, by access. */
const UNAUTHENTICATED: Record<Access, ErrorCode[]> = {
  public: [],
  screen: ['unpaired'],
  kiosk: ['unauthenticated'],
  customer: ['customer-required', 'customer-expired'],
  person: ['unauthenticated'],
  manager: ['unauthenticated'],
};

const HEADERS: Record<RequestHeader, { schema: Json; description: string }> = {
  'Idempotency-Key': {
    schema: inputSchema(idempotencyKeyHeader),
    description: 'The same key answers the same result: a retried request never acts twice.',
  },
  'X-Kiosk-Id': {
    schema: { type: 'string' },
    description:
      "The kiosk the request comes from (its printer, its devices), e.g. `k1`; a paired kiosk's token names it instead.",
  },
  'X-Customer-Token': {
    schema: { type: 'string' },
    description: 'The identified customer (from `POST /identify/verify` or `/identify/device`).',
  },
  'If-Match': {
    schema: { type: 'string' },
    description:
      'The configuration version the change was made on, e.g. `"7"`: a 409 `version-conflict` if it moved on.',
  },
  'Last-Event-ID': {
    schema: { type: 'string' },
    description: 'Resume after this event id.',
  },
};

const INFO_DESCRIPTION = `The hall server's HTTP API: JSON in and out, under \`${API_BASE}\`.

- **Errors** have one envelope, \`{"error":{"code","message"}}\` (schema \`ErrorBody\`, whose \`code\`
  lists every code; each operation names those it may answer): 400 \`invalid-request\` for bad input,
  naming each offending field in \`fields\`; 401 without the right credentials; 403 with the wrong role;
  404 for unknown ids; 409 for a state conflict; 413 for a body over 64 KB; 415 for a body that is not
  \`application/json\`; 429 with \`Retry-After\` when asked too often; 503 \`storage-unavailable\` while
  the database cannot be written (nothing is half-done). Never a 500 for bad input.
- **Input**: unknown fields are refused; \`from\` and \`to\` are both required \`YYYY-MM-DD\` with
  \`from ≤ to\`.
- **Credentials**: staff and managers sign in (\`POST /auth/login\`) for an HttpOnly, SameSite=Strict
  session cookie; a cookie-authenticated write whose \`Origin\` is another site is refused with 403
  \`cross-origin-refused\`. Kiosks and wall displays are paired (\`/pairing/…\`) for a token. In demo mode the
  kiosk's endpoints need no token.
- **Ticket ids** are secrets (holding one is the right to see and cancel the ticket): public answers and
  the event stream carry ticket numbers only.`;

/** The route table as OpenAPI; built once. */
export function openApiDocument(): OpenApiDocument {
  built ??= build();
  return built;
}
let built: OpenApiDocument | undefined;

function build(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const route of API_ROUTES) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'HallQ hall server', version: 'v1', description: INFO_DESCRIPTION },
    servers: [{ url: API_BASE }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: answerSchemas(),
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'hallq_session',
          description: 'The session cookie of `POST /auth/login`; the scopes name the roles that may call.',
        },
        deviceToken: {
          type: 'http',
          scheme: 'bearer',
          description: "A paired screen's token; the scopes name the kinds of screen that may call.",
        },
        customerToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Customer-Token',
          description: 'An identified customer, about 10 minutes from identification.',
        },
      },
    },
  };
}

function operation(route: ApiRoute): Operation {
  const notes = [route.description, ACCESS_TEXT[route.access], route.demoOnly && 'Demo mode only.'];
  const parameters = [
    ...pathParameters(route.path),
    ...queryParameters(route.query),
    ...headerParameters(route),
  ];
  return {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    description: notes.filter(Boolean).join(' '),
    security: SECURITY[route.access],
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && {
      requestBody: { required: true, content: { 'application/json': { schema: inputSchema(route.body) } } },
    }),
    responses: responses(route),
    'x-hallq-access': route.access,
    ...(route.demoOnly && { 'x-hallq-demo-only': true as const }),
  };
}

/** `post /counters/:id/no-show` → `postCountersByIdNoShow`. */
function operationId(route: ApiRoute): string {
  const words = route.path
    .split(/[/.-]/)
    .filter(Boolean)
    .map((word) => (word.startsWith(':') ? `By${capitalise(word.slice(1))}` : capitalise(word)));
  return route.method + words.join('');
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function queryParameters(query: z.ZodObject | undefined): Json[] {
  if (!query) return [];
  const schema = inputSchema(query) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: schema.required?.includes(name) ?? false,
      ...(description !== undefined && { description }),
      schema: rest,
    };
  });
}

function headerParameters(route: ApiRoute): Json[] {
  return (route.headers ?? []).map((name) => ({ name, in: 'header', required: false, ...HEADERS[name] }));
}

function responses(route: ApiRoute): Operation['responses'] {
  const { answer } = route;
  const out: Operation['responses'] = { [answer.status]: { description: answer.description } };
  const content = answerContent(answer);
  if (content) out[answer.status]!.content = content;
  for (const other of route.also ?? []) {
    out[other.status] = {
      description: other.description,
      content: { 'application/json': { schema: other.schema ? reference(other.schema) : errorBody } },
    };
  }
  for (const [status, codes] of Object.entries(refusals(route))) {
    out[status] = {
      description: `Refused: ${codes.map((code) => `\`${code}\``).join(', ')}.`,
      content: { 'application/json': { schema: errorBody } },
    };
  }
  out.default = {
    description: 'Any other failure (e.g. 503 `storage-unavailable`), in the error envelope.',
    content: { 'application/json': { schema: errorBody } },
  };
  return out;
}

function answerContent(answer: ApiRoute['answer']): Record<string, { schema: Json }> | undefined {
  if (answer.schema) {
    const schema = reference(answer.schema);
    return { 'application/json': { schema: answer.list ? { type: 'array', items: schema } : schema } };
  }
  if (answer.media === 'application/json') return { [answer.media]: { schema: { type: 'object' } } };
  if (answer.media) return { [answer.media]: { schema: { type: 'string' } } };
  return undefined;
}

/** Every refusal a route may answer, by status: those of its input and access, then its own. */
function refusals(route: ApiRoute): Record<string, ErrorCode[]> {
  const input = route.body || route.query || route.headers?.some((h) => h !== 'Last-Event-ID');
  const codes: Record<number, ErrorCode[]> = {
    400: input ? ['invalid-request'] : [],
    401: UNAUTHENTICATED[route.access],
    403: [
      ...(route.access === 'manager' ? (['forbidden'] as const) : []),
      ...(route.method === 'get' ? [] : (['cross-origin-refused'] as const)),
    ],
    404: route.demoOnly ? ['not-found'] : [],
    413: route.body ? ['payload-too-large'] : [],
    415: route.body ? ['unsupported-media-type'] : [],
  };
  for (const [status, own] of Object.entries(route.refusals ?? {})) {
    codes[Number(status)] = [...new Set([...(codes[Number(status)] ?? []), ...own])];
  }
  return Object.fromEntries(Object.entries(codes).filter(([, list]) => list.length > 0));
}

// ---------- schemas ----------

/** Answer schemas by their names in answers.ts, as components: `ticketView` → `TicketView`. */
const named = new Map<z.ZodType, string>(
  Object.entries(answers).map(([name, schema]) => [schema as z.ZodType, capitalise(name)]),
);
const errorBody = { $ref: '#/components/schemas/ErrorBody' };

function reference(schema: z.ZodType): Json {
  const name = named.get(schema);
  if (!name) throw new Error('an answer schema that answers.ts does not export');
  return { $ref: `#/components/schemas/${name}` };
}

function answerSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    override: tidy,
  });
  // Each component is a schema of the document, not a JSON Schema resource of its own. Sorted by name:
  // module namespaces list their exports in different orders under tsx and vitest.
  return Object.fromEntries(
    Object.entries(schemas)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { $schema: _, $id: __, ...schema }]) => [name, schema]),
  );
}

/** A request body, query or header as the client sends it (before defaults and transforms). */
function inputSchema(schema: z.ZodType): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', override: tidy });
  return json;
}

/** Drops what says nothing to a reader: the safe-integer bounds zod adds to every `int()`. */
function tidy({ jsonSchema }: { jsonSchema: Json }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

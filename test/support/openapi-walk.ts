/**
 * The operations of the core's own `/openapi.json`, $refs resolved: what the fuzz test and the scope
 * test walk. Read from the running app (not a file), so a route added tomorrow is walked tomorrow.
 */

// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema as the spec serialises it
export type JsonSchema = Record<string, any>;

export interface WalkedParam {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface WalkedOperation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The template as documented, `/api/v1/orders/{id}`. */
  path: string;
  pathParams: WalkedParam[];
  queryParams: WalkedParam[];
  /** The JSON request body, if the operation documents one. */
  body: { required: boolean; schema: JsonSchema } | null;
  /** Behind the bearer security (every /api/v1 route but the Shopify/WooCommerce installations and setup). */
  secured: boolean;
  /** Statuses the operation documents (`200`, `400`, `502`…). */
  statuses: number[];
}

type App = { request(path: string): Response | Promise<Response> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Every operation of the app's `/openapi.json`, in document order. */
export async function walkOpenApi(app: App): Promise<WalkedOperation[]> {
  const res = await app.request('/openapi.json');
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return listOperations((await res.json()) as JsonSchema);
}

export function listOperations(spec: JsonSchema): WalkedOperation[] {
  const deref = resolver(spec);
  const ops: WalkedOperation[] = [];
  for (const [path, item] of Object.entries<JsonSchema>(spec.paths ?? {})) {
    for (const m of METHODS) {
      const op = item[m] as JsonSchema | undefined;
      if (!op) continue;
      const params: WalkedParam[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: JsonSchema) => {
        const q = deref(p) as JsonSchema;
        return { name: q.name, in: q.in, required: q.required === true || q.in === 'path', schema: deref(q.schema ?? {}) };
      });
      const json = op.requestBody ? (deref(op.requestBody) as JsonSchema).content?.['application/json'] : undefined;
      ops.push({
        method: m.toUpperCase() as WalkedOperation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: json ? { required: op.requestBody.required === true, schema: deref(json.schema ?? {}) } : null,
        secured: Array.isArray(op.security) && op.security.length > 0,
        statuses: Object.keys(op.responses ?? {}).map(Number).filter(Number.isFinite),
      });
    }
  }
  return ops;
}

/** The concrete path of a template: each `{name}` replaced by its (URL-encoded) value. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for {${name}} in ${template}`);
    // A lone surrogate has no UTF-8 form: sent as the bytes a careless client would send.
    return v.split(/[\ud800-\udfff]/u).map(encodeURIComponent).join('%ED%A0%80');
  });
}

/** Inlines `#/components/...` references (a cycle is cut at a depth of 12 as `{}`). */
function resolver(spec: JsonSchema) {
  const at = (ref: string): unknown => ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as JsonSchema | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  const walk = (x: unknown, depth: number): unknown => {
    if (Array.isArray(x)) return x.map((v) => walk(v, depth));
    if (!x || typeof x !== 'object') return x;
    const o = x as JsonSchema;
    if (typeof o.$ref === 'string') {
      if (depth > 12) return {};
      const { $ref, ...rest } = o;
      return walk({ ...(at($ref) as JsonSchema), ...rest }, depth + 1);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v, depth)]));
  };
  return (x: unknown) => walk(x, 0) as JsonSchema;
}

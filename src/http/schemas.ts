import { Type, type ObjectOptions, type Static, type TProperties, type TSchema } from '@sinclair/typebox';

/** RFC 9457 problem details, the shape of every error answer. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem' },
);

/** GET /api/v1/health: the server is up, on which database, at which version. */
export const HealthSchema = Type.Object({ status: Type.Literal('ok'), backend: Type.String(), version: Type.String() });
export type Health = Static<typeof HealthSchema>;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: '每页条数 / page size' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: '上一页返回的 nextCursor / nextCursor of the previous page' })),
};

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer(),
  });

export const problemResponses = {
  400: Type.Ref(ProblemSchema),
  404: Type.Ref(ProblemSchema),
};

/**
 * A value or null, written as `type: [T, 'null']` rather than a union: with type coercion on (for
 * query strings), Ajv would otherwise turn a JSON null into 0, false or '' in the union's first
 * branch. Takes plain one-type schemas (string, integer, number, boolean, object), enums included.
 */
export const Nullable = <T extends TSchema>(schema: T) => {
  const { type, enum: values } = schema as unknown as { type: string; enum?: unknown[] };
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'], ...(values ? { enum: [...values, null] } : {}) });
};

/** A request's input (a body or a query): an object that refuses the fields it does not know. */
export const InputObject = <T extends TProperties>(properties: T, options?: ObjectOptions) =>
  Type.Object(properties, { ...options, additionalProperties: false });

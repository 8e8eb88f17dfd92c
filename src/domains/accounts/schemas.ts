import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '../../http/schemas.ts';
import { roles, type Role } from './viewer.ts';

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    login: Type.String(),
    displayName: Type.String(),
    role: Type.Unsafe<Role>({ type: 'string', enum: [...roles] }),
    scopeCode: Type.String(),
    scopeName: Type.String(),
    unitName: Type.Union([Type.String(), Type.Null()]),
    disabled: Type.Boolean(),
  },
  { $id: 'User' },
);
export type User = Static<typeof UserSchema>;

export const SessionSchema = Type.Object({
  user: Type.Ref(UserSchema),
  abilities: Type.Array(Type.String(), { description: '当前角色可执行的操作 / actions this role may take' }),
  csrfToken: Type.String({ description: '写操作需在 x-csrf-token 头中带上 / send in the x-csrf-token header on writes' }),
});
export type Session = Static<typeof SessionSchema>;

export const LoginBody = Type.Object(
  { login: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const NewUserBody = Type.Object(
  {
    login: Type.String({ minLength: 2, maxLength: 64 }),
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
    role: Type.String({ description: roles.join(' | ') }),
    scope: Type.String({ description: '区划代码 / division code, e.g. 11, 110106, 110106008' }),
    unitName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(Type.String({ minLength: 10, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type NewUserInput = Static<typeof NewUserBody>;

/** The user created and their password, shown this once (generated when none was given). */
export const NewUserResultSchema = Type.Object({ user: Type.Ref(UserSchema), password: Type.String() });
export type NewUserResult = Static<typeof NewUserResultSchema>;

export const UserChangesBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    unitName: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UserChanges = Static<typeof UserChangesBody>;

export const UserIdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

/** An API token as issued: the token itself is shown once, the server keeps only its hash. */
export const IssuedTokenSchema = Type.Object({ id: Type.Integer(), name: Type.String(), token: Type.String() });
export type IssuedToken = Static<typeof IssuedTokenSchema>;

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String()),
  entityType: Type.Optional(Type.String()),
  entityId: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...PageQuery,
});
/** The audit log's filters, without the paging. */
export type AuditFilter = Omit<Static<typeof AuditQuery>, 'limit' | 'cursor'>;

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  changes: Type.Unknown(),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

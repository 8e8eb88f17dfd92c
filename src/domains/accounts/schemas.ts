import { Type } from '@sinclair/typebox';
import { PageQuery } from '../../http/schemas.ts';
import { roles } from './viewer.ts';

export const UserSchema = Type.Object(
  {
    id: Type.Integer(),
    login: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    scopeCode: Type.String(),
    scopeName: Type.String(),
    unitName: Type.Union([Type.String(), Type.Null()]),
    disabled: Type.Boolean(),
  },
  { $id: 'User' },
);

export const SessionSchema = Type.Object({
  user: Type.Ref(UserSchema),
  abilities: Type.Array(Type.String(), { description: '当前角色可执行的操作 / actions this role may take' }),
  csrfToken: Type.String({ description: '写操作需在 x-csrf-token 头中带上 / send in the x-csrf-token header on writes' }),
});

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

export const UserIdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String()),
  entityType: Type.Optional(Type.String()),
  entityId: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...PageQuery,
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  changes: Type.Unknown(),
});

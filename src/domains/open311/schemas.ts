import { Type, type Static } from '@sinclair/typebox';
import { Nullable, PageQuery, InputObject } from '../../http/schemas.ts';
import { clientRoles } from './policy.ts';

/** The administrators' side: client applications and their keys (JSON under /api/v1). */
const role = Type.Unsafe<(typeof clientRoles)[number]>({
  type: 'string',
  enum: [...clientRoles],
  description: '密钥代表的角色：接诉即办办公室（提交与办结）、街道、社区、部门处理人（办理进展）/ the role the key acts as',
});

export const ClientSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    contact: Nullable(Type.String()),
    role,
    scopeCode: Type.String({ description: '密钥的区划范围 / the division scope of the key' }),
    scopeName: Type.String(),
    keyPrefix: Type.String({ description: '密钥开头几个字符，用于辨认 / the first characters of the key, to tell keys apart' }),
    perMinute: Type.Integer({ description: '每分钟最多请求数 / requests a minute at most' }),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
    revokedAt: Nullable(Type.String({ format: 'date-time' })),
    revokedBy: Nullable(Type.String()),
  },
  { $id: 'Open311Client' },
);
export type Open311Client = Static<typeof ClientSchema>;
export type ClientRole = Open311Client['role'];

export const ClientInputSchema = InputObject({
  name: Type.String({ minLength: 2, maxLength: 100, description: '客户端应用名称 / client application name' }),
  contact: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '联系人或邮箱 / contact person or e-mail' }))),
  role,
  scope: Type.String({ pattern: '^[0-9]{2,12}$', description: '区划代码，如 11、110106 / division code such as 11 or 110106' }),
  perMinute: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 10000, description: '每分钟最多请求数，默认 60 / requests a minute, default 60' }),
  ),
});
export type ClientInputBody = Static<typeof ClientInputSchema>;

export const ClientListQuery = InputObject({ ...PageQuery });
export const ClientPageSchema = Type.Object({ items: Type.Array(Type.Ref(ClientSchema)), nextCursor: Nullable(Type.String()) });
export type ClientPage = Static<typeof ClientPageSchema>;
export const IssuedSchema = Type.Object({
  client: Type.Ref(ClientSchema),
  apiKey: Type.String({ description: '只显示这一次 / shown this once only' }),
});
export type IssuedClient = Static<typeof IssuedSchema>;

/** Open311's own parameters, for the OpenAPI document; the service checks each with the spec's errors. */
const text = (description: string) => Type.Optional(Type.String({ description }));
/** May be given several times (and comma-joined). */
const texts = (description: string) =>
  Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 1000 })], { description }));
export const jurisdictionParam = { jurisdiction_id: text('区划代码，默认 11（北京市）/ division code, default 11 (Beijing)') };
export const RequestsQuery = Type.Object(
  {
    ...jurisdictionParam,
    service_request_id: texts('逗号分隔的工单号，优先于其他条件 / comma-separated ticket numbers; overrides the other filters'),
    service_code: text('服务（分类）代码 / service (category) code'),
    start_date: text('W3C 日期时间，如 2023-03-01T00:00:00+08:00 / W3C datetime'),
    end_date: text('W3C 日期时间；与 start_date 相隔不超过 90 天 / W3C datetime, at most 90 days after start_date'),
    status: texts('open、closed 或 open,closed，可重复 / open, closed or open,closed; may repeat'),
    page: text('分页扩展：第几页，从 1 开始 / pagination extension: page, from 1'),
    page_size: text('分页扩展：每页件数，最多 1000 / pagination extension: page size, at most 1000'),
  },
  { additionalProperties: true },
);
export const UpdatesQuery = Type.Object(
  {
    ...jurisdictionParam,
    start_date: text('W3C 日期时间 / W3C datetime'),
    end_date: text('W3C 日期时间 / W3C datetime'),
    service_request_id: text('只看这一件 / only this request'),
  },
  { additionalProperties: true },
);
export const RequestInput = Type.Object(
  {
    ...jurisdictionParam,
    api_key: text('管理员签发的密钥 / the key an administrator issued'),
    service_code: text('必填 / required'),
    lat: text('WGS84 纬度 / latitude'),
    long: text('WGS84 经度 / longitude'),
    address_string: text('地址，写明区、街道或社区名 / address naming the district, street or community'),
    address_id: text('区、街道或社区的区划代码 / a district, street or community code'),
    description: text('诉求内容（最长 4000 字）/ description'),
    first_name: text('名（个人信息，不公开）/ first name (personal data, never public)'),
    last_name: text('姓（个人信息，不公开）/ last name (personal data, never public)'),
    phone: text('电话（个人信息，不公开）/ phone (personal data, never public)'),
    email: text('不保存 / not stored'),
    media_url: text('图片等的网址 / URL of a photo or other media'),
    'attribute[kind]': text('诉求类型 / kind'),
    'attribute[urgency]': text('紧急程度 / urgency'),
  },
  { additionalProperties: true },
);
export const UpdateInput = Type.Object(
  {
    ...jurisdictionParam,
    api_key: text('管理员签发的密钥 / the key an administrator issued'),
    service_request_id: text('工单号 / ticket number'),
    status: text('open 或 closed'),
    description: text('进展说明 / what happened'),
    updated_datetime: text('W3C 日期时间，默认现在 / W3C datetime, default now'),
  },
  { additionalProperties: true },
);

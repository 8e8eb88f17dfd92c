import { Type, type Static } from '@sinclair/typebox';
import { Nullable, pageOf, PageQuery } from '../../../http/schemas.ts';
import { UPLOAD_ID_PATTERN } from './held-uploads.ts';

const ProblemItem = Type.Object({
  rowNo: Type.Integer({ description: '行号（打开文件时看到的行）/ row number as seen in the file' }),
  column: Nullable(Type.String({ description: '列名 / column' })),
  value: Nullable(Type.String()),
  ticketNo: Nullable(Type.String()),
  severity: Type.Unsafe<'error' | 'warning'>({
    type: 'string',
    enum: ['error', 'warning'],
    description: 'error：未导入；warning：已导入但有替代 / error: not imported; warning: imported with a fallback',
  }),
  reason: Type.String({ description: '原因（中文 / English）/ reason' }),
});
export type ImportProblemView = Static<typeof ProblemItem>;

const counts = {
  rowsTotal: Type.Integer({ description: '数据行数 / data rows read' }),
  inserted: Type.Integer({ description: '新增 / new appeals' }),
  updated: Type.Integer({ description: '结果有更新 / outcome updated' }),
  unchanged: Type.Integer({ description: '无变化 / unchanged' }),
  unmatched: Type.Integer({ description: '未匹配社区 / without a community' }),
  badRows: Type.Integer({ description: '错误行（未导入）/ rows not imported' }),
  warnings: Type.Integer({ description: '警告 / warnings' }),
};

export const ImportSummarySchema = Type.Object(
  {
    id: Type.Integer(),
    fileName: Type.String(),
    source: Nullable(Type.String()),
    format: Type.String(),
    encoding: Nullable(Type.String()),
    districtCode: Nullable(Type.String()),
    status: Type.Unsafe<'running' | 'done' | 'failed'>({ type: 'string', enum: ['running', 'done', 'failed'] }),
    failure: Nullable(Type.String()),
    ...counts,
    startedAt: Type.String({ format: 'date-time' }),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    importedBy: Type.String(),
    problems: Type.Array(ProblemItem, { description: '前 20 条问题；完整报告见 errorReportUrl / the first 20 problems' }),
    errorReportUrl: Type.String(),
  },
  { $id: 'AppealImport' },
);
export type ImportSummary = Static<typeof ImportSummarySchema>;

export const ImportPageSchema = pageOf(Type.Ref(ImportSummarySchema));
export type ImportPage = Static<typeof ImportPageSchema>;

const Candidate = Type.Object({ code: Type.String(), name: Type.String() });

export const UnmatchedItemSchema = Type.Object(
  {
    id: Type.Integer(),
    appealId: Type.Integer(),
    importId: Nullable(
      Type.Integer({
        description: '导入批次；手工或 Open311 登记的为空 / the import; null for an appeal filed by hand or through Open311',
      }),
    ),
    ticketNo: Type.String(),
    receivedAt: Type.String({ format: 'date-time' }),
    description: Type.String(),
    address: Nullable(Type.String()),
    districtCode: Type.String(),
    districtName: Type.String(),
    streetCode: Nullable(Type.String()),
    streetName: Nullable(Type.String()),
    givenStreet: Nullable(Type.String({ description: '文件中的街道 / street as the file wrote it' })),
    givenCommunity: Nullable(Type.String({ description: '文件中的社区 / community as the file wrote it' })),
    reason: Type.String(),
    candidates: Type.Array(Candidate, { description: '名称最相近的社区 / the communities whose names look closest' }),
    communityCode: Nullable(Type.String({ description: '已匹配的社区 / the community matched' })),
    communityName: Nullable(Type.String()),
    resolvedAt: Nullable(Type.String({ format: 'date-time' })),
    resolvedBy: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'UnmatchedAppeal' },
);
export type UnmatchedItem = Static<typeof UnmatchedItemSchema>;

export const UnmatchedPageSchema = pageOf(Type.Ref(UnmatchedItemSchema));
export type UnmatchedPage = Static<typeof UnmatchedPageSchema>;

export const ImportListQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const UnmatchedListQuery = Type.Object(
  {
    importId: Type.Optional(Type.Integer({ minimum: 1, description: '只看某次导入 / one import only' })),
    district: Type.Optional(Type.String({ pattern: '^[0-9]{2,12}$', description: '区划代码 / division code' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ImportIdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const MatchInputSchema = Type.Object(
  { communityCode: Type.String({ pattern: '^[0-9]{12}$', description: '社区代码（12 位）/ community code (12 digits)' }) },
  { additionalProperties: false },
);

const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

const TextMap = Type.Record(Type.String(), Type.String());

/**
 * A held upload (the preview's `uploadId`) imported, or previewed again, as JSON instead of a
 * multipart upload; the other fields as in the form, defaulting to what the preview was sent.
 */
export const HeldImportInputSchema = Type.Object(
  {
    uploadId: Type.String({ pattern: UPLOAD_ID_PATTERN, description: '预览返回的 uploadId / the uploadId a preview answered' }),
    mapping: Type.Optional(
      Type.Object(
        {
          fields: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]))),
          columns: Type.Optional(TextMap),
          categories: Type.Optional(TextMap),
        },
        { additionalProperties: false, description: '列映射（同上传的 mapping）/ the column mapping, as the upload’s' },
      ),
    ),
    source: Type.Optional(Type.String({ description: '来源（其保存的映射）/ the source (its saved mapping)' })),
    district: Type.Optional(
      Type.String({ pattern: '^[0-9]{2,12}$', description: '未写所属区的行归入的区 / the district of rows naming none' }),
    ),
  },
  { additionalProperties: false },
);
export type HeldImportInput = Static<typeof HeldImportInputSchema>;

/**
 * The multipart form of an upload (POST /appeal-imports and /appeal-imports/preview), for the
 * OpenAPI document only: the route reads the parts itself as they stream in (receiveUpload), so
 * Fastify validates no multipart body against it. Each form field is text; `mapping` is JSON text
 * of the same shape as the held import's `mapping`.
 */
export const UploadFormSchema = Type.Object(
  {
    file: Type.String({
      format: 'binary',
      description:
        '热线导出文件（CSV 或 XLSX，至多 512 MB；只读第一个文件）/ the hotline export (CSV or XLSX, up to 512 MB; only the first file is read)',
    }),
    source: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_.-]{1,64}$',
        description:
          '来源：其保存的映射被使用，给出的映射存于其下 / the source: its saved mapping is used, a mapping given is saved under it',
      }),
    ),
    district: Type.Optional(
      Type.String({ pattern: '^[0-9]{2,12}$', description: '未写所属区的行归入的区（代码）/ the district (code) of rows naming none' }),
    ),
    mapping: Type.Optional(
      Type.String({
        contentMediaType: 'application/json',
        description:
          '列映射，JSON 文本：{"fields": {字段: 列名}, "columns": {列名: 字段或 ignore}, "categories": {词: 分类代码}} / the column mapping as JSON text: {"fields": {field: header}, "columns": {header: field or ignore}, "categories": {word: category code}}',
        examples: ['{"columns":{"联系电话":"ignore"}}'],
      }),
    ),
  },
  { required: ['file'] },
);

/** What an import would make of a file, before anything is written (previewImport). */
export const ImportPreviewSchema = Type.Object(
  {
    fileName: Type.String(),
    source: Nullable(Type.String()),
    savedMapping: Type.Boolean({ description: '使用了该来源已保存的映射 / the source’s saved mapping was used' }),
    format: Type.Unsafe<'csv' | 'xlsx'>({ type: 'string', enum: ['csv', 'xlsx'] }),
    encoding: Nullable(Type.String()),
    headerRow: Type.Integer({ description: '表头所在行 / the row the header is on' }),
    columns: Type.Array(
      Type.Object({
        index: Type.Integer(),
        header: Type.String(),
        role: Nullable(Type.String({ description: '字段（null：不导入）/ the field, null when the column is not read' })),
        by: Type.Unsafe<'saved' | 'header' | 'values' | 'none'>({ type: 'string', enum: ['saved', 'header', 'values', 'none'] }),
        evidence: Bilingual,
        samples: Type.Array(Type.String()),
      }),
    ),
    preview: Type.Array(Type.Object({ rowNo: Type.Integer(), cells: Type.Array(Type.String()) })),
    sampledRows: Type.Integer(),
    places: Type.Object({
      withoutDistrict: Type.Integer(),
      districts: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), rows: Type.Integer() })),
      ambiguous: Type.Array(Type.Object({ rowNo: Type.Integer(), reason: Bilingual })),
      unplaced: Type.Array(Type.Object({ rowNo: Type.Integer(), reason: Bilingual })),
    }),
    notes: Type.Array(Bilingual),
    problems: Type.Array(Type.Object({ field: Type.String(), zh: Type.String(), en: Type.String() })),
    uploadId: Type.String({
      description:
        '预览收到的文件暂存一小时，确认导入时以此 id 导入，无需再次上传 / the previewed file, held for an hour: confirm the import with this id instead of uploading again',
    }),
  },
  { $id: 'AppealImportPreview' },
);
export type ImportPreviewView = Static<typeof ImportPreviewSchema>;
/** The fields a column may be read as (mapping.ts), which a preview's confirmed columns name. */
export type { ImportField } from './mapping.ts';

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../../db/connection.ts';
import { invalid } from '../../../errors.ts';
import { problemResponses, ProblemSchema } from '../../../http/schemas.ts';
import { viewerOf } from '../../accounts/http-auth.ts';
import type { MappingOverride } from './mapping.ts';
import { importPolicy } from './policy.ts';
import {
  ImportIdParam,
  ImportListQuery,
  ImportPreviewSchema,
  ImportPageSchema,
  ImportSummarySchema,
  MatchInputSchema,
  UnmatchedItemSchema,
  UnmatchedListQuery,
  UnmatchedPageSchema,
} from './schemas.ts';
import * as imports from './service.ts';

export const importSchemas = [ImportSummarySchema, UnmatchedItemSchema, ImportPreviewSchema];

/** Uploads up to this size; larger exports go through `mustanswer import appeals`. */
const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

interface Upload {
  file: string;
  fileName: string;
  source?: string | undefined;
  district?: string | undefined;
  mapping?: MappingOverride | undefined;
}

/** The multipart form: fields `source`, `district`, `mapping` (JSON) and one `file`, spooled to a temp file. */
async function receiveUpload(request: FastifyRequest, dir: string): Promise<Upload> {
  const fields: Record<string, string> = {};
  let upload: { file: string; fileName: string } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      fields[part.fieldname] = String(part.value);
    } else if (!upload) {
      const file = path.join(dir, 'upload');
      await pipeline(part.file, fs.createWriteStream(file));
      upload = { file, fileName: part.filename || 'upload' };
    } else {
      part.file.resume();
    }
  }
  if (!upload) throw invalid('请上传文件', 'Upload a file', [{ field: 'file', message: '缺少文件 / missing file' }]);
  let mapping: MappingOverride | undefined;
  if (fields.mapping) {
    try {
      mapping = JSON.parse(fields.mapping) as MappingOverride;
    } catch {
      throw invalid('列映射不是有效的 JSON', 'The mapping is not valid JSON', [{ field: 'mapping', message: 'JSON' }]);
    }
  }
  return { ...upload, source: fields.source || undefined, district: fields.district || undefined, mapping };
}

export const importRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['appeal imports 诉求导入'];
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });

  app.post(
    '/appeal-imports',
    {
      config: { policy: importPolicy.upload },
      schema: {
        tags,
        summary: '上传热线导出文件（CSV 或 XLSX，multipart：file、source、district、mapping）/ Upload a hotline export (CSV or XLSX)',
        consumes: ['multipart/form-data'],
        response: { 201: Type.Ref(ImportSummarySchema), ...problemResponses },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `mustanswer-upload-${crypto.randomBytes(4).toString('hex')}-`));
      try {
        const upload = await receiveUpload(request, dir);
        const summary = await imports.importAppeals(db, upload.file, viewer, {
          fileName: upload.fileName,
          source: upload.source,
          district: upload.district,
          mapping: upload.mapping,
          // The embedded database is one session: committed chunk by chunk, the server keeps answering.
          inSteps: db.backend === 'pglite',
        });
        return reply.status(201).header('location', `/api/v1/appeal-imports/${summary.id}`).send(summary);
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.post(
    '/appeal-imports/preview',
    {
      config: { policy: importPolicy.upload },
      schema: {
        tags,
        summary:
          '预览导入：各列的作用及依据、未写所属区的行归属、编码；不写入任何数据（multipart 同上传）/ Preview an import: each column’s role with evidence, where rows naming no district go, the encoding; writes nothing',
        consumes: ['multipart/form-data'],
        response: { 200: Type.Ref(ImportPreviewSchema), ...problemResponses },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), `mustanswer-upload-${crypto.randomBytes(4).toString('hex')}-`));
      try {
        const upload = await receiveUpload(request, dir);
        return await imports.previewImport(db, upload.file, viewer, {
          fileName: upload.fileName,
          source: upload.source,
          district: upload.district,
          mapping: upload.mapping,
        });
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/appeal-imports',
    {
      config: { policy: importPolicy.read },
      schema: {
        tags,
        summary: '导入记录 / Imports, newest first',
        querystring: ImportListQuery,
        response: { 200: ImportPageSchema, ...problemResponses },
      },
    },
    async (request) => imports.listImports(db.kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/unmatched',
    {
      config: { policy: importPolicy.read },
      schema: {
        tags,
        summary: '未匹配社区的诉求，附候选社区 / Imported appeals without a community, with candidates',
        querystring: UnmatchedListQuery,
        response: { 200: UnmatchedPageSchema, ...problemResponses },
      },
    },
    async (request) => imports.listUnmatched(db.kysely, request.query, viewerOf(request)),
  );

  app.post(
    '/appeal-imports/unmatched/:id/match',
    {
      config: { policy: importPolicy.match },
      schema: {
        tags,
        summary: '为未匹配的诉求指定社区 / Match an unmatched appeal to a community',
        params: ImportIdParam,
        body: MatchInputSchema,
        response: { 200: Type.Ref(UnmatchedItemSchema), ...problemResponses, 409: Type.Ref(ProblemSchema) },
      },
    },
    async (request) => imports.matchUnmatched(db.kysely, request.params.id, request.body.communityCode, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/:id',
    {
      config: { policy: importPolicy.read },
      schema: {
        tags,
        summary: '一次导入的结果 / One import',
        params: ImportIdParam,
        response: { 200: Type.Ref(ImportSummarySchema), ...problemResponses },
      },
    },
    async (request) => imports.getImport(db.kysely, request.params.id, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/:id/errors.csv',
    {
      config: { policy: importPolicy.read },
      schema: { tags, summary: '错误报告（CSV）/ Error report (CSV)', params: ImportIdParam, produces: ['text/csv'] },
    },
    async (request, reply) => {
      const report = await imports.importProblemsCsv(db.kysely, request.params.id, viewerOf(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.fileName}"`)
        .send(report.csv);
    },
  );
};

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { SwaggerTransform } from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { Type, type TSchema } from '@sinclair/typebox';
import type { Database } from '../../../db/connection.ts';
import { AppError, invalid } from '../../../errors.ts';
import { created, ok, routeSection } from '../../../http/routes.ts';
import { ProblemSchema } from '../../../http/schemas.ts';
import { viewerOf } from '../../accounts/http-auth.ts';
import {
  claimHeldUpload,
  holdUpload,
  pinHeldUpload,
  returnHeldUpload,
  sweepHeldUploads,
  touchHeldUpload,
  type HeldUpload,
} from './held-uploads.ts';
import type { MappingOverride } from './mapping.ts';
import { importPolicy } from './policy.ts';
import {
  HeldImportInputSchema,
  type HeldImportInput,
  ImportIdParam,
  ImportListQuery,
  ImportPreviewSchema,
  ImportPageSchema,
  ImportSummarySchema,
  MatchInputSchema,
  UnmatchedItemSchema,
  UnmatchedListQuery,
  UnmatchedPageSchema,
  UploadFormSchema,
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

const spoolDir = () => fs.promises.mkdtemp(path.join(os.tmpdir(), `mustanswer-upload-${crypto.randomBytes(4).toString('hex')}-`));

/**
 * Whether the request names a held upload (JSON) rather than carrying the file. Anything else but
 * JSON goes to the multipart reader, which refuses it as before (406).
 */
const namesHeldUpload = (request: FastifyRequest) => !request.isMultipart() && request.mediaType === 'application/json';

/** A held upload's import options: what this request says, else what its preview was sent. */
function heldOptions(input: HeldImportInput, meta: HeldUpload): Omit<Upload, 'file'> {
  return {
    fileName: meta.fileName,
    source: input.source !== undefined ? input.source || undefined : (meta.source ?? undefined),
    district: input.district ?? meta.district ?? undefined,
    mapping: input.mapping as MappingOverride | undefined,
  };
}

/** The JSON body is checked by its schema; a multipart body has none, and is read by receiveUpload. */
const heldBody = { content: { 'application/json': { schema: HeldImportInputSchema } } };

/**
 * The upload routes' OpenAPI operations gain the multipart form beside the JSON body. Only the
 * document sees it: a multipart schema in the route's own body would have Fastify validate a body
 * that @fastify/multipart leaves for receiveUpload to stream.
 */
const documentUploadForm: SwaggerTransform = ({ schema, url }) => {
  const body = (schema as { body?: { content?: Record<string, unknown> } }).body;
  return {
    schema: {
      ...schema,
      body: { content: { 'multipart/form-data': { schema: UploadFormSchema }, ...body?.content } },
    } as typeof schema,
    url,
  };
};

export const importRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const tags = ['appeal imports 诉求导入'];
  const section = routeSection(tags, importPolicy);
  /** The two upload routes take the same body, multipart or JSON naming a held upload, under the same policy. */
  const uploadRoute = <R extends Record<number, TSchema>>(summary: string, response: R) => ({
    config: { policy: importPolicy.upload, swaggerTransform: documentUploadForm },
    schema: { tags, summary, consumes: ['multipart/form-data', 'application/json'], body: heldBody, response },
  });
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });
  // What a previous run held and nobody confirmed goes at start, not an hour after the next preview.
  await sweepHeldUploads().catch((err: unknown) => app.log.warn({ err }, 'could not sweep held uploads'));

  app.post(
    '/appeal-imports',
    uploadRoute(
      '导入热线导出文件：上传（CSV 或 XLSX，multipart：file、source、district、mapping），或以 JSON 导入预览已收到的文件（uploadId，只能导入一次）/ Import a hotline export: uploaded (CSV or XLSX, multipart), or the file a preview received, as JSON { uploadId, mapping, source, district } (once)',
      created(Type.Ref(ImportSummarySchema)),
    ),
    async (request, reply) => {
      const viewer = viewerOf(request);
      const dir = await spoolDir();
      try {
        let upload: Upload;
        let held: { id: string; meta: HeldUpload } | undefined;
        if (namesHeldUpload(request)) {
          const input = request.body as HeldImportInput;
          const claimed = await claimHeldUpload(input.uploadId, viewer, dir);
          held = { id: input.uploadId, meta: claimed.meta };
          upload = { file: claimed.file, ...heldOptions(input, claimed.meta) };
        } else {
          upload = await receiveUpload(request, dir);
        }
        try {
          const summary = await imports.importAppeals(db, upload.file, viewer, {
            fileName: upload.fileName,
            source: upload.source,
            district: upload.district,
            mapping: upload.mapping,
            // Committed chunk by chunk, the server keeps answering (importsInSteps says why).
            inSteps: await imports.importsInSteps(db, true),
          });
          return reply.status(201).header('location', `/api/v1/appeal-imports/${summary.id}`).send(summary);
        } catch (err) {
          // A refused mapping or source imported nothing: the file stays held, to confirm again corrected.
          if (held && err instanceof AppError && err.kind === 'invalid') {
            await returnHeldUpload(held.id, held.meta, upload.file).catch(() => undefined);
          }
          throw err;
        }
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.post(
    '/appeal-imports/preview',
    uploadRoute(
      '预览导入：各列的作用及依据、未写所属区的行归属、编码；不写入任何数据（multipart 同上传）。收到的文件暂存一小时，答复中的 uploadId 用于确认导入或以新的映射再次预览（JSON，同导入）/ Preview an import: each column’s role with evidence, where rows naming no district go, the encoding; writes nothing. The file is held for an hour: its uploadId imports it, or previews it again with another mapping (JSON)',
      ok(Type.Ref(ImportPreviewSchema)),
    ),
    async (request) => {
      const viewer = viewerOf(request);
      if (!namesHeldUpload(request)) {
        await sweepHeldUploads().catch((err: unknown) => request.log.warn({ err }, 'could not sweep held uploads'));
      }
      const dir = await spoolDir();
      try {
        if (namesHeldUpload(request)) {
          const input = request.body as HeldImportInput;
          // Read from a pin of the held file: a confirmation may take the file away meanwhile (issue 16).
          const { file, meta } = await pinHeldUpload(input.uploadId, viewer, dir);
          const options = heldOptions(input, meta);
          const preview = await imports.previewImport(db, file, viewer, options);
          await touchHeldUpload(input.uploadId, { ...meta, source: options.source ?? null, district: options.district ?? null });
          return { ...preview, uploadId: input.uploadId };
        }
        const upload = await receiveUpload(request, dir);
        const preview = await imports.previewImport(db, upload.file, viewer, {
          fileName: upload.fileName,
          source: upload.source,
          district: upload.district,
          mapping: upload.mapping,
        });
        // Only a file that previews is held: one the preview refuses would be refused by the import too.
        const uploadId = await holdUpload(upload.file, viewer, upload);
        return { ...preview, uploadId };
      } finally {
        await fs.promises.rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/appeal-imports',
    section.read('导入记录 / Imports, newest first', { querystring: ImportListQuery, response: ok(ImportPageSchema) }),
    async (request) => imports.listImports(db.kysely, request.query, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/unmatched',
    section.read('未匹配社区的诉求，附候选社区 / Imported appeals without a community, with candidates', {
      querystring: UnmatchedListQuery,
      response: ok(UnmatchedPageSchema),
    }),
    async (request) => imports.listUnmatched(db.kysely, request.query, viewerOf(request)),
  );

  app.post(
    '/appeal-imports/unmatched/:id/match',
    section.match('为未匹配的诉求指定社区 / Match an unmatched appeal to a community', {
      params: ImportIdParam,
      body: MatchInputSchema,
      response: { ...ok(Type.Ref(UnmatchedItemSchema)), 409: Type.Ref(ProblemSchema) },
    }),
    async (request) => imports.matchUnmatched(db.kysely, request.params.id, request.body.communityCode, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/:id',
    section.read('一次导入的结果 / One import', { params: ImportIdParam, response: ok(Type.Ref(ImportSummarySchema)) }),
    async (request) => imports.getImport(db.kysely, request.params.id, viewerOf(request)),
  );

  app.get(
    '/appeal-imports/:id/errors.csv',
    section.read('错误报告（CSV）/ Error report (CSV)', { params: ImportIdParam, produces: ['text/csv'] }),
    async (request, reply) => {
      const report = await imports.importProblemsCsv(db.kysely, request.params.id, viewerOf(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.fileName}"`)
        .send(report.csv);
    },
  );
};

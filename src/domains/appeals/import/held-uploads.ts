import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../errors.ts';
import type { Viewer } from '../../accounts/viewer.ts';

/**
 * Uploads the preview received, held so the confirmed import reads the same file rather than the
 * browser sending a 59 MB export twice (issue 16). Each is two files in one folder: `<id>.upload`
 * (the bytes) and `<id>.json` (whose it is). The id is 24 random bytes: knowing it is not enough,
 * the user and scope must match too. Files on disk, not rows, so a restart or a second server
 * process on the same machine finds them, and the sweep needs no database.
 *
 * A held upload can be previewed again while it is being confirmed (the page's select changed
 * once more as the person pressed import), and the confirmation moves the file away and deletes
 * it when the import ends. A preview therefore never reads the held file by its name: it pins it
 * first (a hard link into the preview's own folder, which either succeeds while the file is held
 * or finds it gone: the 404) and reads the pin, which the confirmation cannot take away. Within
 * one process the steps that read or change a held upload's two files (find and pin, touch,
 * claim, return) run one at a time per id, and the record is written whole (a temporary file
 * renamed over it), so a reader never sees half of it.
 */

/** How long a held upload waits for its confirmation (from the last preview of it). */
export const HELD_UPLOAD_TTL_MS = 60 * 60 * 1000;

/** What a well-formed id looks like: also what keeps an id from naming a path outside the folder. */
export const UPLOAD_ID_PATTERN = '^[A-Za-z0-9_-]{32}$';
const idPattern = new RegExp(UPLOAD_ID_PATTERN);

export function heldUploadsDir(): string {
  return path.join(os.tmpdir(), 'mustanswer-held-uploads');
}

export interface HeldUpload {
  userId: number | null;
  scopeCode: string;
  fileName: string;
  source: string | null;
  district: string | null;
  /** When it was last previewed, ISO 8601: it expires HELD_UPLOAD_TTL_MS later. */
  heldAt: string;
}

export const heldUploadFile = (id: string) => path.join(heldUploadsDir(), `${id}.upload`);
const metaFile = (id: string) => path.join(heldUploadsDir(), `${id}.json`);

/** The steps on one held upload in this process, one at a time (what runs now, and what waits). */
const busy = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(id: string, step: () => Promise<T>): Promise<T> {
  const ahead = busy.get(id) ?? Promise.resolve();
  const run = ahead.then(step, step);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  busy.set(id, settled);
  try {
    return await run;
  } finally {
    if (busy.get(id) === settled) busy.delete(id);
  }
}

/** The record written whole: a reader finds the old one or the new one, never a truncated file. */
async function writeMeta(id: string, meta: HeldUpload): Promise<void> {
  const temporary = `${metaFile(id)}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.promises.writeFile(temporary, JSON.stringify(meta), { mode: 0o600 });
    await fs.promises.rename(temporary, metaFile(id));
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

const gone = () =>
  new AppError(
    'not_found',
    '上传的文件已过期或不存在，请重新上传（uploadId）',
    'The uploaded file has expired or does not exist; upload it again (uploadId)',
    [{ field: 'uploadId', message: '已过期、已导入或不存在 / expired, already imported, or unknown' }],
  );

/** Moves a spooled upload into the folder, bound to the viewer; returns its id. */
export async function holdUpload(
  spooled: string,
  viewer: Viewer,
  info: { fileName: string; source?: string | undefined; district?: string | undefined },
  now = new Date(),
): Promise<string> {
  const dir = heldUploadsDir();
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  const id = crypto.randomBytes(24).toString('base64url');
  const meta: HeldUpload = {
    userId: viewer.userId,
    scopeCode: viewer.scopeCode,
    fileName: info.fileName,
    source: info.source ?? null,
    district: info.district ?? null,
    heldAt: now.toISOString(),
  };
  await writeMeta(id, meta);
  // The spool is in the OS temp dir too, so this is a rename, not a 59 MB copy.
  await fs.promises.rename(spooled, heldUploadFile(id));
  return id;
}

/**
 * The viewer's held upload with this id. Another user's id (or the same user's under another
 * scope), an unknown one and an expired one all answer the same 404: an id that is not yours
 * tells you nothing.
 */
export function findHeldUpload(id: string, viewer: Viewer, now = new Date()): Promise<HeldUpload> {
  return oneAtATime(id, () => findHeld(id, viewer, now));
}

async function findHeld(id: string, viewer: Viewer, now: Date): Promise<HeldUpload> {
  if (!idPattern.test(id)) throw gone();
  let meta: HeldUpload;
  try {
    meta = JSON.parse(await fs.promises.readFile(metaFile(id), 'utf8')) as HeldUpload;
  } catch {
    throw gone();
  }
  if (meta.userId === null || meta.userId !== viewer.userId || meta.scopeCode !== viewer.scopeCode) throw gone();
  if (now.getTime() - Date.parse(meta.heldAt) > HELD_UPLOAD_TTL_MS) {
    await dropHeldUpload(id);
    throw gone();
  }
  if (!fs.existsSync(heldUploadFile(id))) throw gone();
  return meta;
}

/**
 * The viewer's held upload, pinned for a preview: a hard link to it in `into` (a copy where the
 * file system has no links), which stays readable whatever becomes of the held file meanwhile (a
 * confirmation claiming it, importing it and deleting it). A held file gone before it is pinned is
 * the same 404 as an unknown id. The caller removes `into`.
 */
export function pinHeldUpload(id: string, viewer: Viewer, into: string, now = new Date()): Promise<{ file: string; meta: HeldUpload }> {
  return oneAtATime(id, async () => {
    const meta = await findHeld(id, viewer, now);
    const file = path.join(into, 'upload');
    try {
      await fs.promises.link(heldUploadFile(id), file);
    } catch (error) {
      if (isMissing(error)) throw gone();
      try {
        await fs.promises.copyFile(heldUploadFile(id), file);
      } catch (copyError) {
        if (isMissing(copyError)) throw gone();
        throw copyError;
      }
    }
    return { file, meta };
  });
}

/**
 * A held upload previewed again: held for another full period from now, with the source and
 * district this preview was sent. One claimed meanwhile (imported, or being imported) stays
 * claimed: its record is not written back.
 */
export function touchHeldUpload(id: string, meta: HeldUpload, now = new Date()): Promise<void> {
  return oneAtATime(id, async () => {
    if (!fs.existsSync(heldUploadFile(id))) return;
    await writeMeta(id, { ...meta, heldAt: now.toISOString() });
    await fs.promises.utimes(heldUploadFile(id), now, now).catch(() => undefined);
  });
}

/**
 * Takes the viewer's held upload out of the folder into `into` (a rename, which only one of two
 * simultaneous confirmations can win): it can be imported once. Returns the moved file.
 */
export function claimHeldUpload(id: string, viewer: Viewer, into: string, now = new Date()): Promise<{ file: string; meta: HeldUpload }> {
  return oneAtATime(id, async () => {
    const meta = await findHeld(id, viewer, now);
    const file = path.join(into, 'upload');
    try {
      await fs.promises.rename(heldUploadFile(id), file);
    } catch {
      throw gone();
    }
    await fs.promises.rm(metaFile(id), { force: true });
    return { file, meta };
  });
}

/** Puts a claimed upload back (the import refused the mapping: the person may fix it and confirm again). */
export function returnHeldUpload(id: string, meta: HeldUpload, file: string): Promise<void> {
  return oneAtATime(id, async () => {
    await writeMeta(id, meta);
    await fs.promises.rename(file, heldUploadFile(id));
  });
}

export async function dropHeldUpload(id: string): Promise<void> {
  await Promise.all([fs.promises.rm(heldUploadFile(id), { force: true }), fs.promises.rm(metaFile(id), { force: true })]);
}

/**
 * Deletes what has waited longer than the hold (by the files' modification time, which a new
 * preview of the upload renews): run at server start and on each new preview. Returns how many
 * files went.
 */
export async function sweepHeldUploads(now = new Date()): Promise<number> {
  let names: string[];
  try {
    names = await fs.promises.readdir(heldUploadsDir());
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const file = path.join(heldUploadsDir(), name);
    try {
      const stat = await fs.promises.stat(file);
      if (now.getTime() - stat.mtimeMs > HELD_UPLOAD_TTL_MS) {
        await fs.promises.rm(file, { force: true, recursive: true });
        removed++;
      }
    } catch {
      // Claimed or swept by another request meanwhile.
    }
  }
  return removed;
}

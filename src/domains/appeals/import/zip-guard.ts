import fs from 'node:fs';
import zlib from 'node:zlib';
import { invalid } from '../../../errors.ts';

/**
 * An XLSX is a zip archive, and a zip's parts may inflate a thousandfold (a "zip bomb"): before the
 * spreadsheet reader sees it, the parts are inflated once, streamed and thrown away, counting the
 * bytes, and the file is refused as soon as they pass the limit. The central directory's declared
 * sizes are checked first (instantly); the inflation then catches parts that lie about theirs.
 * Memory stays flat: nothing inflated is kept.
 */
export interface ZipLimits {
  /** The most all parts together may inflate to. */
  maxBytes: number;
  /** The most they may inflate to per byte of the file. */
  maxRatio: number;
}

/** A real export inflates 5–15 times; 50 leaves room, and 2 GiB is more than any export the CLI takes. */
export const defaultZipLimits: ZipLimits = { maxBytes: 2 * 1024 ** 3, maxRatio: 50 };
/** Small files may inflate this far whatever their ratio: a few KB of XML styles are no threat. */
const FLOOR_BYTES = 16 * 1024 * 1024;

interface Entry {
  name: string;
  method: number;
  compressed: number;
  size: number;
  offset: number;
}

const broken = (zh: string, en: string) =>
  invalid(`XLSX 文件已损坏：${zh}`, `The XLSX file is broken: ${en}`, [{ field: 'file', message: `${zh} / ${en}` }]);

async function readAt(fd: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await fd.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function entriesOf(fd: fs.promises.FileHandle, fileBytes: number): Promise<Entry[]> {
  const tailLength = Math.min(fileBytes, 65_557);
  const tail = await readAt(fd, fileBytes - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw broken('找不到 zip 目录（文件不完整？）', 'no zip directory (is the file complete?)');
  const count = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff)
    throw broken('ZIP64 格式过大，不支持', 'ZIP64 archives are too large to import');
  if (dirOffset + dirSize > fileBytes)
    throw broken('zip 目录超出文件末尾（文件不完整？）', 'the zip directory runs past the end of the file (is it complete?)');
  const dir = await readAt(fd, dirOffset, dirSize);
  const entries: Entry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== 0x02014b50) throw broken('zip 目录项有误', 'a bad zip directory entry');
    const nameLength = dir.readUInt16LE(at + 28);
    const entry: Entry = {
      method: dir.readUInt16LE(at + 10),
      compressed: dir.readUInt32LE(at + 20),
      size: dir.readUInt32LE(at + 24),
      offset: dir.readUInt32LE(at + 42),
      name: dir.toString('utf8', at + 46, at + 46 + nameLength),
    };
    if (entry.compressed === 0xffffffff || entry.size === 0xffffffff || entry.offset === 0xffffffff)
      throw broken('ZIP64 格式过大，不支持', 'ZIP64 archives are too large to import');
    entries.push(entry);
    at += 46 + nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
  }
  return entries;
}

function tooBig(limit: number, fileBytes: number) {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  return invalid(
    `XLSX 文件解压后超过 ${mb(limit)}（文件本身 ${mb(fileBytes)}，上限为 50 倍或 2 GB），已拒绝：可能是恶意构造的压缩包。请另存为 CSV 后导入`,
    `The XLSX file inflates past ${mb(limit)} (the file is ${mb(fileBytes)}; the limit is 50 times its size or 2 GB) and was refused: it may be a zip bomb. Save it as CSV and import that`,
    [{ field: 'file', message: `解压后过大 / inflates past ${mb(limit)}` }],
  );
}

export async function checkZip(file: string, limits: ZipLimits = defaultZipLimits): Promise<void> {
  const fileBytes = (await fs.promises.stat(file)).size;
  const limit = Math.min(limits.maxBytes, Math.max(FLOOR_BYTES, fileBytes * limits.maxRatio));
  const fd = await fs.promises.open(file, 'r');
  let entries: Array<Entry & { dataStart: number }>;
  try {
    const listed = await entriesOf(fd, fileBytes);
    if (listed.reduce((sum, e) => sum + e.size, 0) > limit) throw tooBig(limit, fileBytes);
    entries = [];
    for (const e of listed) {
      const local = await readAt(fd, e.offset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50)
        throw broken(`部件 ${e.name} 的头部有误`, `a bad header for part ${e.name}`);
      entries.push({ ...e, dataStart: e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28) });
    }
  } finally {
    await fd.close();
  }
  let total = 0;
  for (const e of entries) {
    if (e.compressed === 0) continue;
    if (e.dataStart + e.compressed > fileBytes) throw broken(`部件 ${e.name} 超出文件末尾`, `part ${e.name} runs past the end of the file`);
    if (e.method === 0) {
      total += e.compressed;
      if (total > limit) throw tooBig(limit, fileBytes);
      continue;
    }
    if (e.method !== 8) throw broken(`部件 ${e.name} 的压缩方式 ${e.method} 不支持`, `part ${e.name} uses compression method ${e.method}`);
    await new Promise<void>((resolve, reject) => {
      const source = fs.createReadStream(file, { start: e.dataStart, end: e.dataStart + e.compressed - 1 });
      const inflate = zlib.createInflateRaw();
      let part = 0;
      const stop = (error: Error) => {
        source.destroy();
        inflate.destroy();
        reject(error);
      };
      inflate.on('data', (chunk: Buffer) => {
        part += chunk.length;
        total += chunk.length;
        // A part inflating past what it declared, or all of them past the limit: stop at once.
        if (total > limit || part > e.size + 1024) stop(tooBig(limit, fileBytes));
      });
      inflate.on('end', resolve);
      inflate.on('error', () => stop(broken(`部件 ${e.name} 无法解压`, `part ${e.name} cannot be inflated`)));
      source.on('error', stop);
      source.pipe(inflate);
    });
  }
}

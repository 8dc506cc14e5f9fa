import yauzl from 'yauzl';

export interface ReadEntry {
  data: Buffer;
  /** 0: stored, 8: deflated. */
  method: number;
  date: Date;
}

/**
 * Every entry of a ZIP (a file, or its bytes), read by yauzl: an independent reader that goes by
 * the central directory and checks each entry's CRC-32. Entry names in the ZIP's order.
 */
export function readZip(source: string | Buffer): Promise<Map<string, ReadEntry>> {
  return new Promise((resolve, reject) => {
    const opened = (err: Error | null, zip?: yauzl.ZipFile) => {
      if (err || !zip) return reject(err ?? new Error('yauzl opened nothing'));
      const out = new Map<string, ReadEntry>();
      zip.on('error', reject);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`no stream for ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('error', reject);
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, {
              data: Buffer.concat(chunks),
              method: entry.compressionMethod,
              date: entry.getLastModDate(),
            });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.readEntry();
    };
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true }, opened);
    else yauzl.fromBuffer(source, { lazyEntries: true }, opened);
  });
}

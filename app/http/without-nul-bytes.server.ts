import { Transform } from "node:stream";

/**
 * React 18.3's renderToPipeableStream can end a chunk with NUL bytes when a multi-byte character (Japanese text) does
 * not fit its 2 KB write buffer (facebook/react#24985, #31134; fixed only in React 19): the page then shows "顧客\0\0を".
 * No valid UTF-8 character contains a 0x00 byte and HTML never needs one, so every NUL byte is dropped on the way out.
 */
export function withoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.indexOf(0) === -1) return callback(null, chunk);
      callback(null, Buffer.from(chunk.filter((byte) => byte !== 0)));
    },
  });
}

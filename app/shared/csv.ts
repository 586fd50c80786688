/**
 * CSV as RFC 4180 writes it (quoted fields, doubled quotes, CRLF or LF), which is what spreadsheets and other
 * loyalty apps export. Pure: text in, rows out.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Rows of fields with the line each row starts on (1-based), so errors can name it. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.length > 0) throw new CsvError("a quote inside an unquoted field", line);
      quoted = true;
      fieldStarted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
      fieldStarted = true;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== "" || fieldStarted) rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      fieldStarted = false;
      line++;
      rowLine = line;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvError("a quoted field is never closed", rowLine);
  if (field !== "" || fields.length > 0 || fieldStarted) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

/** One CSV field, quoted when it must be; a leading =, +, - or @ is neutralised so spreadsheets never run it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: Array<string | number | null | undefined>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/**
 * Decodes an uploaded file: UTF-8 (with or without a BOM) when it is valid UTF-8, otherwise Shift_JIS, which
 * Japanese Excel still writes by default.
 */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: "utf-8" | "shift_jis" } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("shift_jis").decode(bytes), encoding: "shift_jis" };
  }
}

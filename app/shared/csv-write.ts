// Writing CSV, apart from reading it (csv.ts): the pages that build a CSV in the browser (a data request's answer)
// import this, and must not pull in the parser and its Node buffers.

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

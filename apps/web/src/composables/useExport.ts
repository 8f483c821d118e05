/**
 * Exports for tables (CSV) and charts (PNG). The text and the names are pure functions, tested
 * on their own; only `downloadBlob` touches the browser.
 */

/** One cell before quoting: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null | undefined

/** A column of an exported table: its header (in the UI language) and the cell of each row. */
export interface CsvColumn<Row> {
  header: string
  value: (row: Row) => CsvCell
}

/** Excel reads a CSV without a byte order mark as the system code page and garbles Chinese. */
export const CSV_BOM = '\uFEFF'

/** What an ECharts instance is asked for: twice the screen's pixels, on white (not transparent). */
export const PNG_OPTIONS = { type: 'png', pixelRatio: 2, backgroundColor: '#fff' } as const

/** Anything that draws itself as a data URL: an ECharts instance, or the vue-echarts component. */
export interface PngSource {
  getDataURL(options: typeof PNG_OPTIONS): string
}

const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/
// A spreadsheet runs a cell starting with one of these as a formula (tab and CR too, per OWASP).
const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/**
 * Defuses a cell a spreadsheet would run as a formula by putting an apostrophe before it;
 * plain numbers (a loss of -12.50) stay numbers.
 *
 * @example
 * ```ts
 * neutralizeFormula('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 * neutralizeFormula('-12.50')                 // '-12.50'
 * neutralizeFormula('@SUM(A1)')               // "'@SUM(A1)"
 * ```
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text
}

/**
 * One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, with
 * its quotes doubled; null and undefined are empty.
 *
 * @example
 * ```ts
 * csvField('展会, 上海')   // '"展会, 上海"'
 * csvField('say "hi"')    // '"say ""hi"""'
 * csvField(null)          // ''
 * ```
 */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  const text = neutralizeFormula(typeof value === 'number' ? String(value) : value)
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * The whole file: a BOM, then the records joined by CRLF (the last one ends with CRLF too).
 *
 * @example
 * ```ts
 * toCsv([['渠道', '营销支出'], ['展会', '80000.00']]) // '\uFEFF渠道,营销支出\r\n展会,80000.00\r\n'
 * ```
 */
export function toCsv(records: readonly (readonly CsvCell[])[]): string {
  return CSV_BOM + records.map((record) => `${record.map(csvField).join(',')}\r\n`).join('')
}

/**
 * A table as CSV: the headers, one record per row, then the footer records (a total row).
 *
 * @example
 * ```ts
 * buildCsv([{ header: '渠道', value: (r) => r.name }], [{ name: '展会' }]) // '\uFEFF渠道\r\n展会\r\n'
 * ```
 */
export function buildCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[], footer: readonly Row[] = []): string {
  return toCsv([columns.map((c) => c.header), ...[...rows, ...footer].map((row) => columns.map((c) => c.value(row)))])
}

/**
 * The name of an exported file: what it is and the period it covers.
 *
 * @example
 * ```ts
 * exportFileName('channels', { from: '2026-10-25', to: '2026-11-23' }, 'csv') // 'yardstick-channels-2026-10-25_2026-11-23.csv'
 * exportFileName('Lead trend', null, 'png')                                   // 'yardstick-lead-trend.png'
 * ```
 */
export function exportFileName(what: string, period: { from: string; to: string } | null, extension: 'csv' | 'png'): string {
  const slug = what.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'export'
  const dates = period ? `-${period.from}_${period.to}` : ''
  return `yardstick-${slug}${dates.replace(/[^0-9_-]/g, '')}.${extension}`
}

/**
 * The bytes of a `data:` URL (what ECharts' getDataURL returns) as a Blob.
 *
 * @example
 * ```ts
 * dataUrlToBlob('data:image/png;base64,iVBORw0KGgo=') // Blob { type: 'image/png', size: 8 }
 * ```
 */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]*)(;base64)?,(.*)$/s.exec(dataUrl)
  if (!match) throw new TypeError('not a data URL')
  const [, type = '', base64, payload = ''] = match
  if (!base64) return new Blob([decodeURIComponent(payload)], { type })
  const binary = atob(payload)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new Blob([bytes], { type })
}

/** Saves a Blob as a file through a temporary object URL and an `<a download>`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    // Some browsers read the URL after click() returns: let go of it on the next turn.
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
}

/** Downloads CSV text (from toCsv or buildCsv) as a UTF-8 file. */
export function downloadCsv(text: string, fileName: string): void {
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), fileName)
}

/** Downloads what a chart draws as a PNG; false when there is no chart on screen yet. */
export function downloadPng(chart: PngSource | null | undefined, fileName: string): boolean {
  const dataUrl = chart?.getDataURL(PNG_OPTIONS)
  if (!dataUrl) return false
  downloadBlob(dataUrlToBlob(dataUrl), fileName)
  return true
}

type Period = { from: string; to: string } | null

/**
 * The two exports a dashboard card offers, named after the card and the period:
 * `exports.csv('channels', period, columns, rows, [total])`, `exports.png('trend', period, chart)`.
 */
export function useExport() {
  return {
    csv<Row>(what: string, period: Period, columns: readonly CsvColumn<Row>[], rows: readonly Row[], footer: readonly Row[] = []): void {
      downloadCsv(buildCsv(columns, rows, footer), exportFileName(what, period, 'csv'))
    },
    png(what: string, period: Period, chart: PngSource | null | undefined): boolean {
      return downloadPng(chart, exportFileName(what, period, 'png'))
    },
  }
}

import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  buildCsv, CSV_BOM, csvField, dataUrlToBlob, downloadBlob, downloadPng, exportFileName, neutralizeFormula, PNG_OPTIONS, toCsv, useExport,
} from './useExport.ts'

describe('CSV text', () => {
  it('starts with a byte order mark so Excel reads the Chinese as UTF-8', () => {
    const text = toCsv([['渠道', '营销支出']])
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text.startsWith(CSV_BOM)).toBe(true)
  })

  it('ends every record with CRLF, the last one too', () => {
    expect(toCsv([['a', 'b'], ['c', 'd']])).toBe('\uFEFFa,b\r\nc,d\r\n')
  })

  it('quotes fields holding a comma, a quote or a line break and doubles the quotes', () => {
    expect(csvField('展会, 上海')).toBe('"展会, 上海"')
    expect(csvField('the "best" expo')).toBe('"the ""best"" expo"')
    expect(csvField('line one\nline two')).toBe('"line one\nline two"')
    expect(csvField('cr\r')).toBe('"cr\r"')
    expect(csvField('plain text')).toBe('plain text')
  })

  it('writes numbers and money strings as they are, and nothing for null', () => {
    expect(csvField(12.5)).toBe('12.5')
    expect(csvField('80000.00')).toBe('80000.00')
    expect(csvField(0)).toBe('0')
    expect(csvField(null)).toBe('')
    expect(csvField(undefined)).toBe('')
  })

  it('puts an apostrophe before a cell a spreadsheet would run as a formula', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1")
    expect(neutralizeFormula('+86 138')).toBe("'+86 138")
    expect(neutralizeFormula('-2+3')).toBe("'-2+3")
    expect(neutralizeFormula('@SUM(A1:A2)')).toBe("'@SUM(A1:A2)")
    expect(neutralizeFormula('\t=1')).toBe("'\t=1")
    // Quoting comes after the guard, so the apostrophe sits inside the quotes.
    expect(csvField('=HYPERLINK("http://evil.example","点我")')).toBe('"\'=HYPERLINK(""http://evil.example"",""点我"")"')
  })

  it('leaves plain numbers alone, negative ones included', () => {
    expect(neutralizeFormula('-12.50')).toBe('-12.50')
    expect(neutralizeFormula('+3')).toBe('+3')
    expect(csvField(-100)).toBe('-100')
    expect(csvField('-0.05')).toBe('-0.05')
    expect(neutralizeFormula('a=b')).toBe('a=b')
  })

  it('builds a table from its columns, then the footer rows', () => {
    const rows = [{ name: '展会', cost: '80000.00', roi: 25 }, { name: '邮件, 内容', cost: '0.00', roi: null }]
    const columns = [
      { header: '渠道', value: (r: (typeof rows)[number]) => r.name },
      { header: '营销支出', value: (r: (typeof rows)[number]) => r.cost },
      { header: '投资回报率（%）', value: (r: (typeof rows)[number]) => r.roi },
    ]
    expect(buildCsv(columns, rows, [{ name: '合计', cost: '80000.00', roi: 25 }])).toBe(
      '\uFEFF渠道,营销支出,投资回报率（%）\r\n展会,80000.00,25\r\n"邮件, 内容",0.00,\r\n合计,80000.00,25\r\n',
    )
  })
})

describe('export file names', () => {
  it('names the table and the period', () => {
    expect(exportFileName('channels', { from: '2026-10-25', to: '2026-11-23' }, 'csv')).toBe('yardstick-channels-2026-10-25_2026-11-23.csv')
    expect(exportFileName('lead-trend', { from: '2026-01-01', to: '2026-03-31' }, 'png')).toBe('yardstick-lead-trend-2026-01-01_2026-03-31.png')
  })

  it('keeps only safe characters', () => {
    expect(exportFileName('ROI views/../x', null, 'csv')).toBe('yardstick-roi-views-x.csv')
    expect(exportFileName('渠道', null, 'png')).toBe('yardstick-export.png')
  })
})

describe('downloads', () => {
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it('turns a base64 data URL into a Blob of its bytes', async () => {
    const blob = dataUrlToBlob(`data:image/png;base64,${btoa('\x89PNG\r\n')}`)
    expect(blob.type).toBe('image/png')
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])
    expect(() => dataUrlToBlob('http://example.com/x.png')).toThrow(TypeError)
  })

  it('clicks a temporary link to an object URL named for the file, then lets the URL go', () => {
    vi.useFakeTimers()
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:yardstick/1')
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const clicked: { href: string; download: string }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download })
    })
    const blob = new Blob(['x'])
    downloadBlob(blob, 'yardstick-team.csv')
    expect(create).toHaveBeenCalledWith(blob)
    expect(clicked).toEqual([{ href: 'blob:yardstick/1', download: 'yardstick-team.csv' }])
    expect(document.querySelector('a[download]')).toBeNull()
    vi.runAllTimers()
    expect(revoke).toHaveBeenCalledWith('blob:yardstick/1')
  })

  it('asks the chart for a 2× PNG on white and downloads it', async () => {
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:yardstick/2')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    const chart = { getDataURL: vi.fn(() => `data:image/png;base64,${btoa('png')}`) }
    expect(downloadPng(chart, 'yardstick-funnel.png')).toBe(true)
    expect(chart.getDataURL).toHaveBeenCalledWith({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })
    expect(PNG_OPTIONS).toEqual({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })
    const blob = create.mock.calls[0]![0] as Blob
    expect(blob.type).toBe('image/png')
    expect(await blob.text()).toBe('png')
    expect(downloadPng(null, 'x.png')).toBe(false)
  })

  it('saves a CSV as UTF-8 text with the BOM and the file name of the table and period', async () => {
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:yardstick/3')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    const names: string[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    useExport().csv('team', { from: '2026-10-25', to: '2026-11-23' }, [{ header: '姓名', value: (r: { name: string }) => r.name }], [{ name: '陈静' }])
    const blob = create.mock.calls[0]![0] as Blob
    expect(blob.type).toBe('text/csv;charset=utf-8')
    const bytes = new Uint8Array(await blob.arrayBuffer())
    // The BOM as UTF-8 bytes: EF BB BF.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe('\uFEFF姓名\r\n陈静\r\n')
    expect(names).toEqual(['yardstick-team-2026-10-25_2026-11-23.csv'])
  })
})

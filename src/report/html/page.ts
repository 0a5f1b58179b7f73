import type { Block, ChartSpec, Inline, ReportDoc } from '../model.js';
import { barChart } from '../svg/bar.js';
import { lineChart } from '../svg/line.js';
import { escapeXml as escapeHtml } from '../svg/xml.js';
import { REPORT_CSS } from './css.js';

/**
 * One self-contained HTML file: inline CSS and SVG, no script, no font, image or stylesheet to
 * fetch. The Content-Security-Policy says so to the browser as well.
 */
export function toHtml(doc: ReportDoc, footer: string): string {
  const body: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`];
  if (doc.summary?.length)
    body.push(
      `<p class="summary" data-summary>${doc.summary.map((line, index) => (index === 0 ? `<strong>${escapeHtml(line)}</strong>` : escapeHtml(line))).join('<br>')}</p>`,
    );
  body.push(`<p class="verdict" data-verdict>${inlines(doc.verdict)}</p>`);
  for (const section of doc.sections) {
    const blocks = section.blocks.map(block);
    if (blocks.length === 0) continue;
    body.push(`<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.title)}</h2>\n${blocks.join('\n')}\n</section>`);
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${body.join('\n')}
<footer>${escapeHtml(footer)}</footer>
</body>
</html>
`;
}

function block(item: Block): string {
  switch (item.kind) {
    case 'paragraph':
      return `<p>${inlines(item.text)}</p>`;
    case 'list':
      return `<ul>${item.items.map((entry) => `<li>${inlines(entry)}</li>`).join('')}</ul>`;
    case 'facts':
      return `<div class="table-wrap"><table class="facts"><tbody>${item.rows.map(([label, value]) => `<tr><th scope="row">${escapeHtml(label)}</th><td>${inlines([value])}</td></tr>`).join('')}</tbody></table></div>`;
    case 'table': {
      const align = item.columns.map((column) => (column.align === 'right' ? ' class="num"' : ''));
      const head = item.columns.map((column, index) => `<th scope="col"${align[index]}>${escapeHtml(column.title)}</th>`).join('');
      const rows = item.rows
        .map((row) => `<tr>${row.map((cell, index) => `<td${cellClass(cell, item.columns[index]?.align)}>${escapeHtml(cell)}</td>`).join('')}</tr>`)
        .join('\n');
      const caption = item.caption ? `\n<p class="caption">${escapeHtml(item.caption)}</p>` : '';
      return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>${caption}`;
    }
    case 'code':
      return `<pre><code class="language-${escapeHtml(item.language)}">${escapeHtml(item.text)}</code></pre>`;
    case 'chart':
      return `<figure>${chart(item.chart)}<figcaption><strong>${escapeHtml(item.chart.title)}</strong>${item.caption ? ` — ${escapeHtml(item.caption)}` : ''}</figcaption></figure>`;
  }
}

/** Numbers align right; one-word cells (user-001, naive-mongoose) must not break at their hyphen. */
function cellClass(cell: string, align: 'left' | 'right' | undefined): string {
  if (align === 'right') return ' class="num"';
  return cell.length <= 32 && !/\s/.test(cell) ? ' class="nw"' : '';
}

function chart(spec: ChartSpec): string {
  return spec.type === 'bar' ? barChart(spec) : lineChart(spec);
}

function inlines(parts: Inline[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part);
      if ('strong' in part) return `<strong>${escapeHtml(part.strong)}</strong>`;
      return `<code>${escapeHtml(part.code)}</code>`;
    })
    .join('');
}

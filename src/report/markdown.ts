import type { Block, Inline, ReportDoc } from './model.js';

/**
 * Markdown that pastes cleanly into GitHub, GitLab and Jira: ATX headings, pipe tables, fenced code.
 * Charts are left out (their figures are in the tables).
 */
export function toMarkdown(doc: ReportDoc): string {
  const out: string[] = [`# ${escapeMarkdown(doc.title)}`, ''];
  // Hard line breaks (two trailing spaces): the summary's lines stay lines, as in the terminal.
  if (doc.summary?.length) out.push(doc.summary.map((line, index) => (index === 0 ? `**${escapeMarkdown(line)}**` : escapeMarkdown(line))).join('  \n'), '');
  out.push(inlines(doc.verdict), '');
  for (const section of doc.sections) {
    const blocks = section.blocks.map(block).filter((text) => text !== '');
    if (blocks.length === 0) continue;
    out.push(`## ${escapeMarkdown(section.title)}`, '');
    for (const text of blocks) out.push(text, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function block(item: Block): string {
  switch (item.kind) {
    case 'paragraph':
      return inlines(item.text);
    case 'list':
      return item.items.map((entry) => `- ${inlines(entry)}`).join('\n');
    case 'facts':
      return pipeTable(
        ['', ''],
        ['left', 'left'],
        item.rows.map(([label, value]) => [`**${escapeMarkdown(label)}**`, inlines([value])]),
      );
    case 'table': {
      const rows = item.rows.map((row) => row.map(escapeMarkdown));
      const text = pipeTable(
        item.columns.map((column) => escapeMarkdown(column.title)),
        item.columns.map((column) => column.align ?? 'left'),
        rows,
      );
      return item.caption ? `${text}\n\n_${escapeMarkdown(item.caption)}_` : text;
    }
    case 'code': {
      // A fence longer than any backtick run inside keeps the block intact.
      const longest = Math.max(2, ...[...item.text.matchAll(/`+/g)].map((match) => match[0].length));
      const fence = '`'.repeat(longest + 1);
      return `${fence}${item.language}\n${item.text}\n${fence}`;
    }
    case 'chart':
      return '';
  }
}

function pipeTable(header: string[], align: Array<'left' | 'right'>, rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(align.map((side) => (side === 'right' ? '---:' : '---'))), ...rows.map(line)].join('\n');
}

function inlines(parts: Inline[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeMarkdown(part);
      if ('strong' in part) return `**${escapeMarkdown(part.strong)}**`;
      return codeSpan(part.code);
    })
    .join('');
}

function codeSpan(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/**
 * Backslashes before what would start emphasis, a link, HTML or a new table cell. An underscore
 * inside a word (index names, snake_case) starts nothing in GFM and stays as it is.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*[\]<>|])/g, '\\$1')
    .replace(/_/g, (underscore, offset: number, whole: string) =>
      /\w/.test(whole[offset - 1] ?? '') && /\w/.test(whole[offset + 1] ?? '') ? underscore : '\\_',
    )
    .replace(/^#/, '\\#')
    .replace(/\r?\n/g, ' ');
}

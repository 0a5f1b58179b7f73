import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * docs/results.md against the result types (src/results/, read with the TypeScript compiler): each
 * command's first table names exactly the type's own top-level fields, and the fields of those are
 * named in its section; the envelope table names BaseResult's fields, the environment table
 * Environment's, and every file the page links exists.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = join(root, 'docs/results.md');
const docs = readFileSync(DOCS, 'utf8');

const program = ts.createProgram([join(root, 'src/results/by-command.ts')], {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  noEmit: true,
  skipLibCheck: true,
  types: [],
});
const checker = program.getTypeChecker();

/** The declared type of an exported interface or type alias. */
function exported(file: string, name: string): ts.Type {
  const source = program.getSourceFile(join(root, file));
  if (!source) throw new Error(`${file} is not in the program`);
  const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(source)!).find((entry) => entry.name === name);
  if (!symbol) throw new Error(`${file} exports no ${name}`);
  return checker.getDeclaredTypeOfSymbol(symbol);
}

const fieldNames = (type: ts.Type) => type.getProperties().map((property) => property.name);
const envelope = fieldNames(exported('src/lib/result.ts', 'BaseResult'));
const commandNames = (exported('src/lib/result.ts', 'CommandName') as ts.UnionType).types.map((type) => (type as ts.StringLiteralType).value);

/** Each command's result type, found in AnyResult by its `command` literal. */
const resultTypes = new Map(
  (exported('src/results/by-command.ts', 'AnyResult') as ts.UnionType).types.map((type) => {
    const command = checker.getTypeOfSymbol(type.getProperty('command')!) as ts.StringLiteralType;
    return [command.value, type] as const;
  }),
);
const ownFields = (command: string) =>
  resultTypes
    .get(command)!
    .getProperties()
    .filter((field) => !envelope.includes(field.name));

/** The fields of an object-typed field (or of its items), every member's for a union; none for text and figures. */
function innerFields(type: ts.Type): string[] {
  let inner = checker.getNonNullableType(type);
  if (checker.isArrayType(inner)) inner = checker.getNonNullableType(checker.getTypeArguments(inner as ts.TypeReference)[0]!);
  if (inner.isUnion()) return [...new Set(inner.types.flatMap(innerFields))];
  return inner.flags & ts.TypeFlags.Object && !checker.isArrayType(inner) ? fieldNames(inner) : [];
}

/** The text under a `## ` heading, up to the next one. */
function section(heading: string): string {
  const start = docs.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/results.md has no section "## ${heading}"`);
  const end = docs.indexOf('\n## ', start + 1);
  return docs.slice(start, end < 0 ? undefined : end);
}

/**
 * The fields the first table after `after` names in its first column, top level only:
 * `collections[]` is collections, `busiestOther.byReceipts` busiestOther, and a bare name after a
 * dotted one in the same cell (`snapshot.path`, `fileBytes`) shares its prefix.
 */
function tableFields(text: string, after = ''): string[] {
  const cells = firstTable(text.slice(text.indexOf(after)));
  const fields = cells.flatMap((cell) => {
    let prefix = '';
    return [...cell.matchAll(/`([^`]+)`/g)].map(([, name]) => {
      const dotted = name!.includes('.');
      const path = dotted ? name! : `${prefix}${name}`;
      if (dotted) prefix = name!.slice(0, name!.lastIndexOf('.') + 1);
      return path.split(/[.[]/)[0]!;
    });
  });
  return [...new Set(fields)];
}

/** The first cells of the body rows of the first Markdown table in text. */
function firstTable(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| '));
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'));
  return lines.slice(start + 2, end < 0 ? undefined : end).map((line) => line.split(/(?<!\\)\|/)[1]!.trim());
}

describe('docs/results.md follows the result types', () => {
  it('has a result type for every command', () => {
    expect([...resultTypes.keys()].sort()).toEqual([...commandNames].sort());
  });

  it.each(commandNames)('`%s`: its table names every top-level field of the type, and no other', (command) => {
    expect(tableFields(section(`\`${command}\``)).sort()).toEqual(
      ownFields(command)
        .map((field) => field.name)
        .sort(),
    );
  });

  it.each(commandNames)('`%s`: the fields of each top-level field are named in its section', (command) => {
    const named = new Set([...section(`\`${command}\``).matchAll(/`([^`]+)`/g)].flatMap(([, name]) => name!.split(/[.[\]]+/)));
    const missing = ownFields(command).flatMap((field) =>
      innerFields(checker.getTypeOfSymbol(field))
        .filter((inner) => !named.has(inner))
        .map((inner) => `${field.name}.${inner}`),
    );
    expect(missing).toEqual([]);
  });

  it('the envelope table names every BaseResult field, and `command` lists every command', () => {
    const text = section('The common envelope');
    expect(tableFields(text).sort()).toEqual([...envelope].sort());
    const row = text.split('\n').find((line) => line.startsWith('| `command` |')) ?? '';
    for (const command of commandNames) expect(row).toContain(`\`"${command}"\``);
  });

  it('the environment table names every Environment field', () => {
    const environment = fieldNames(exported('src/lib/environment.ts', 'Environment'));
    expect(tableFields(section('The common envelope'), '`environment`:').sort()).toEqual([...environment].sort());
  });

  it('every file it links exists', () => {
    const links = [...docs.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map(([, link]) => link!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(existsSync(join(dirname(DOCS), link)), link).toBe(true);
  });
});

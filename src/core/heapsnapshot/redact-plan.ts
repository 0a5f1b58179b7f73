import type { ValueHandler } from '../../lib/json-object-stream.js';
import { isIdentifierName, keptFunctionName } from './data-names.js';
import { SnapshotFormatError } from './parse.js';

/**
 * What `heap redact` does to each entry of a snapshot's string table, decided in a first pass
 * over the file by how the entry is used (the rule is data-names.ts's, the one reports mask by):
 *  - a string node's or RegExp's name (the value itself) is replaced;
 *  - a property edge's name, a function's or symbol's name is kept when it reads like an
 *    identifier, replaced otherwise;
 *  - every other name (constructors, V8's system names, internal and context edges) is kept.
 * V8 writes each text once, so one entry may be a value and a kept name at once (`"name"` the
 * string and `name` the property): its string nodes are then pointed at a filler appended to
 * the table, and the name stays.
 */
const VALUE = 1;
const PROPERTY = 2;
const FUNCTION = 4;
const KEPT = 8;

const VALUE_KINDS = new Set(['string', 'concatenated string', 'sliced string', 'regexp']);
const FUNCTION_KINDS = new Set(['closure', 'code', 'symbol']);
/** Edges named by an index into the elements or by V8's slot number, not by a string. */
const NUMBERED_EDGES = new Set(['element', 'hidden']);

export interface RedactPlan {
  nodeStride: number;
  typeAt: number;
  nameAt: number;
  /** Per node type: 1 when its name is a value (strings, RegExp sources), 2 a function's or symbol's name. */
  nodeKind: Uint8Array;
  stringCount: number;
  /** Per string index: 1 when its text is replaced in place. */
  replace: Uint8Array;
  /** String index → the index of its filler appended to the table, for the value nodes of an entry kept as a name. */
  moved: Map<number, number>;
  /** Of those, the entries whose function and symbol nodes take the filler too (a data-like name that is also a constructor's). */
  functionMoved: Set<number>;
  nodeCount: number;
  edgeCount: number;
}

/** The first pass: a JsonObjectStream handler per top-level key, and the plan once the file has streamed. */
export function planner(): { handlerFor(key: string): ValueHandler; plan(): RedactPlan } {
  let roles: Uint8Array = new Uint8Array(1 << 16);
  const mark = (index: number, role: number) => {
    if (index >= roles.length) {
      const grown = new Uint8Array(Math.max(roles.length * 2, index + 1));
      grown.set(roles);
      roles = grown;
    }
    roles[index]! |= role;
  };
  let layout: { nodeStride: number; typeAt: number; nameAt: number; edgeStride: number; edgeTypeAt: number; edgeNameAt: number } | undefined;
  let nodeRole: Uint8Array = new Uint8Array(0);
  let edgeRole: Uint8Array = new Uint8Array(0);
  let nodeKind: Uint8Array = new Uint8Array(0);
  let traceNameFields: number[] = [];
  let traceStride = 0;
  let replace: Uint8Array = new Uint8Array(0);
  const movedOrder: number[] = [];
  const functionMoved = new Set<number>();
  const counts = { strings: 0, nodes: 0, edges: 0 };

  /** Walks an array of records `stride` wide, field by field across batches. */
  const fields = (stride: number, visit: (field: number, value: number) => void): ValueHandler => {
    let field = 0;
    return {
      kind: 'numbers',
      numbers: (batch, count) => {
        for (let i = 0; i < count; i++) {
          visit(field, batch[i]!);
          if (++field === stride) field = 0;
        }
      },
      end: () => undefined,
    };
  };

  const handlerFor = (key: string): ValueHandler => {
    if (key === 'snapshot') return { kind: 'capture', maxBytes: 1 << 20, value: (header) => readHeader(header) };
    if (!layout && key !== 'strings') return { kind: 'skip' };
    if (key === 'nodes') {
      const { nodeStride, typeAt, nameAt } = layout!;
      let role = KEPT;
      return fields(nodeStride, (field, value) => {
        if (field === typeAt) role = nodeRole[value] ?? KEPT;
        else if (field === nameAt) mark(value, role);
        if (field === 0) counts.nodes++;
      });
    }
    if (key === 'edges') {
      const { edgeStride, edgeTypeAt, edgeNameAt } = layout!;
      let role = KEPT;
      return fields(edgeStride, (field, value) => {
        if (field === edgeTypeAt) role = edgeRole[value] ?? KEPT;
        else if (field === edgeNameAt && role !== 0) mark(value, role);
        if (field === 0) counts.edges++;
      });
    }
    if (key === 'trace_function_infos' && traceStride > 0)
      return fields(traceStride, (field, value) => traceNameFields.includes(field) && mark(value, FUNCTION));
    if (key === 'strings') {
      return {
        kind: 'strings',
        keep: (index) => (roles[index] ?? 0) !== 0,
        string: (index, text) => decide(index, text),
        end: (count) => {
          counts.strings = count;
          replace = grow(replace, count);
          // Entries no node or edge names (none in V8's files) could hold anything: replaced.
          for (let index = 0; index < count; index++) if ((roles[index] ?? 0) === 0) replace[index] = 1;
        },
      };
    }
    return { kind: 'skip' };
  };

  function decide(index: number, text: string): void {
    const role = roles[index]!;
    const dataName = (role & PROPERTY && !isIdentifierName(text)) || (role & FUNCTION && !keptFunctionName(text));
    if ((dataName && !(role & KEPT)) || role === VALUE) {
      replace = grow(replace, index + 1);
      replace[index] = 1;
    } else if (dataName) {
      // Also a constructor's or V8's name (`Array Iterator`): that stays; the values and functions named so get fillers.
      movedOrder.push(index);
      functionMoved.add(index);
    } else if (role & VALUE) movedOrder.push(index);
  }

  function readHeader(header: unknown): void {
    const meta = (header as { meta?: Record<string, unknown> }).meta ?? {};
    const list = (value: unknown): string[] => (Array.isArray(value) ? (value as unknown[]).map(String) : []);
    const nodeFields = list(meta.node_fields);
    const edgeFields = list(meta.edge_fields);
    const nodeTypes = list(Array.isArray(meta.node_types) ? meta.node_types[0] : undefined);
    const edgeTypes = list(Array.isArray(meta.edge_types) ? meta.edge_types[0] : undefined);
    const at = (names: string[], name: string) => {
      const index = names.indexOf(name);
      if (index < 0) throw new SnapshotFormatError(`the snapshot's meta lacks the field "${name}"`);
      return index;
    };
    layout = {
      nodeStride: nodeFields.length,
      typeAt: at(nodeFields, 'type'),
      nameAt: at(nodeFields, 'name'),
      edgeStride: edgeFields.length,
      edgeTypeAt: at(edgeFields, 'type'),
      edgeNameAt: at(edgeFields, 'name_or_index'),
    };
    if (layout.typeAt > layout.nameAt) throw new SnapshotFormatError("the snapshot's nodes name a node before its type; this reader needs the type first");
    nodeRole = Uint8Array.from(nodeTypes, (kind) => (VALUE_KINDS.has(kind) ? VALUE : FUNCTION_KINDS.has(kind) ? FUNCTION : KEPT));
    nodeKind = Uint8Array.from(nodeTypes, (kind) => (VALUE_KINDS.has(kind) ? 1 : FUNCTION_KINDS.has(kind) ? 2 : 0));
    edgeRole = Uint8Array.from(edgeTypes, (kind) => (NUMBERED_EDGES.has(kind) ? 0 : kind === 'property' ? PROPERTY : KEPT));
    const traceFields = list(meta.trace_function_info_fields);
    traceStride = traceFields.length;
    traceNameFields = ['name', 'script_name'].map((name) => traceFields.indexOf(name)).filter((index) => index >= 0);
  }

  const plan = (): RedactPlan => {
    if (!layout) throw new SnapshotFormatError('no "snapshot" header before the arrays');
    const moved = new Map(movedOrder.map((index, k) => [index, counts.strings + k]));
    return {
      ...{ nodeStride: layout.nodeStride, typeAt: layout.typeAt, nameAt: layout.nameAt, nodeKind },
      ...{ stringCount: counts.strings, replace, moved, functionMoved, nodeCount: counts.nodes, edgeCount: counts.edges },
    };
  };
  return { handlerFor, plan };
}

function grow(array: Uint8Array, length: number): Uint8Array {
  if (array.length >= length) return array;
  const grown = new Uint8Array(Math.max(length, array.length * 2));
  grown.set(array);
  return grown;
}

/** Same-length filler for a replaced text: `•` and the entry's index in base 36, so different entries stay told apart. */
export function filler(index: number, length: number): string {
  if (length <= 0) return '';
  const tag = `•${index.toString(36)}`;
  return tag.length >= length ? tag.slice(0, length) : tag + '•'.repeat(length - tag.length);
}

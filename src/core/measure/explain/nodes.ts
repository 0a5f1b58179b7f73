/** Small readers shared by the explain layouts: explain output is untyped server JSON. */
export type Node = Record<string, unknown>;

export function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function nodeAt(value: unknown, key: string): Node | undefined {
  if (!isNode(value)) return undefined;
  const child = value[key];
  return isNode(child) ? child : undefined;
}

export function nodesAt(value: unknown, key: string): Node[] {
  if (!isNode(value)) return [];
  const child = value[key];
  return Array.isArray(child) ? child.filter(isNode) : [];
}

/** A number as the driver hands it: a JS number, or a BSON Long/Int32/Double when promotion is off. */
export function numberAt(value: unknown, key: string): number | null {
  if (!isNode(value)) return null;
  const field = value[key];
  if (typeof field === 'number') return field;
  if (typeof field === 'bigint') return Number(field);
  if (isNode(field) && typeof field.toNumber === 'function') return (field.toNumber as () => number)();
  return null;
}

/** The children of a plan or execution stage, classic (inputStage(s)) and slot-based (outerStage, innerStage…) alike. */
const CHILD_KEYS = ['inputStage', 'outerStage', 'innerStage', 'thenStage', 'elseStage'] as const;

export function childStages(stage: Node): Node[] {
  const children: Node[] = [];
  for (const key of CHILD_KEYS) {
    const child = stage[key];
    if (isNode(child)) children.push(child);
  }
  children.push(...nodesAt(stage, 'inputStages'));
  return children;
}

/** Adds figures that may be missing: null only when every part is null. */
export function addKnown(...parts: Array<number | null>): number | null {
  return parts.reduce<number | null>((total, part) => (part === null ? total : (total ?? 0) + part), null);
}

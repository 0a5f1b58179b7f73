/**
 * Marks where Mongoose's hydration starts, for the loop meter's split (src/core/measure/loop.ts).
 * Mongoose's `Query.prototype._find` (node_modules/mongoose/lib/query.js) awaits the driver's
 * `cursor.toArray()` and then, in the same macrotask, runs `_completeMany` (hydration: one
 * `new Model()` + `$init` per document) or `_completeManyLean` over the whole result. The driver
 * Mongoose bundles is `mongoose.mongo`; its `AbstractCursor.prototype.toArray` is wrapped so that its
 * call marks a 'read' phase and its resolution the 'hydration' phase: one extra microtask per query,
 * nothing per document. A populate's follow-up queries go through the same toArray(): each is one
 * more 'read' and 'hydration' (the meter's phases: what each cost in CPU).
 * Only the measuring child of a Mongoose variant does this, never the user's process.
 */
const WRAPPED = Symbol.for('imdiag.hydrationMark');

interface CursorPrototype {
  toArray(this: unknown): Promise<unknown[]>;
  [WRAPPED]?: (phase: string) => void;
}

let markPhase: (phase: string) => void = () => undefined;

export function markHydrationAfterToArray(mongoose: { mongo?: { AbstractCursor?: { prototype: CursorPrototype } } }, mark: (phase: string) => void): void {
  markPhase = mark;
  const prototype = mongoose.mongo?.AbstractCursor?.prototype;
  if (!prototype || prototype[WRAPPED]) return;
  const toArray = prototype.toArray;
  prototype.toArray = async function toArrayMarked(this: unknown) {
    markPhase('read');
    const documents = await toArray.call(this);
    markPhase('hydration');
    return documents;
  };
  prototype[WRAPPED] = mark;
}

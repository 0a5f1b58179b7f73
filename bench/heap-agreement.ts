import { bytes } from '../src/lib/format.js';

/** What one tool's worker process reports. */
export interface ToolRun {
  tool: 'imdiag' | 'memlab';
  ms: number;
  peakRssBytes: number;
  /** Class → retained size by DevTools' Summary rule over the tool's own dominator tree. */
  classes: Record<string, number>;
  /** imdiag: its largest objects; memlab: the retained size it gives the same ids. */
  objects: Array<{ id: number; name: string; retained: number }>;
  /** imdiag only: the same figures under memlab's page-object rule. */
  memlabRule?: { classes: Record<string, number>; objects: Record<number, number> };
  error?: string;
}

/** How many classes and objects the two tools are compared on. */
export const TOP = 20;

/** Within this relative difference two retained sizes agree (the 1 %). */
export const TOLERANCE = 0.01;

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1));
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** Time, peak RSS and the agreement table for one snapshot, as printed lines. */
export function agreementLines(imdiag: ToolRun, memlab: ToolRun | null, snapshotBytes: number, top: number): string[] {
  const lines: string[] = [];
  const row = (run: ToolRun) =>
    run.error
      ? `  ${run.tool.padEnd(7)} failed: ${run.error}`
      : `  ${run.tool.padEnd(7)} ${(run.ms / 1000).toFixed(1).padStart(7)} s  peak RSS ${bytes(run.peakRssBytes).padStart(8)} (${(run.peakRssBytes / snapshotBytes).toFixed(2)}× the file)`;
  lines.push(row(imdiag));
  if (!memlab) return lines;
  lines.push(row(memlab));
  if (imdiag.error || memlab.error) return lines;
  lines.push(`  imdiag is ${(memlab.ms / imdiag.ms).toFixed(1)}× faster, with ${(imdiag.peakRssBytes / memlab.peakRssBytes).toFixed(2)}× memlab's peak RSS`);
  const classes = Object.entries(imdiag.classes).slice(0, top);
  const agreeDevtools = classes.filter(([name, size]) => rel(size, memlab.classes[name] ?? 0) <= TOLERANCE).length;
  const agreeSameRule = classes.filter(([name]) => rel(imdiag.memlabRule?.classes[name] ?? NaN, memlab.classes[name] ?? 0) <= TOLERANCE).length;
  lines.push(
    `  top-${classes.length} classes by retained size within ${pct(TOLERANCE)} of memlab: ${agreeDevtools} under DevTools' page rule, ${agreeSameRule} under memlab's`,
  );
  for (const [name, size] of classes) {
    const theirs = memlab.classes[name] ?? 0;
    const same = imdiag.memlabRule?.classes[name] ?? NaN;
    if (rel(size, theirs) > TOLERANCE || rel(same, theirs) > TOLERANCE)
      lines.push(`    ${name}: imdiag ${bytes(size)} (memlab's rule ${bytes(same)}), memlab ${bytes(theirs)}`);
  }
  const theirs = new Map(memlab.objects.map((object) => [object.id, object.retained]));
  const objects = imdiag.objects.slice(0, top);
  const sameObjects = objects.filter((object) => rel(imdiag.memlabRule?.objects[object.id] ?? NaN, theirs.get(object.id) ?? NaN) <= TOLERANCE).length;
  const devObjects = objects.filter((object) => rel(object.retained, theirs.get(object.id) ?? NaN) <= TOLERANCE).length;
  lines.push(`  largest ${objects.length} objects, id by id, within ${pct(TOLERANCE)}: ${devObjects} under DevTools' rule, ${sameObjects} under memlab's`);
  for (const object of objects) {
    const other = theirs.get(object.id);
    const same = imdiag.memlabRule?.objects[object.id] ?? NaN;
    if (other === undefined || rel(same, other) > TOLERANCE || rel(object.retained, other) > TOLERANCE) {
      lines.push(
        `    @${object.id} ${object.name}: imdiag ${bytes(object.retained)} (memlab's rule ${bytes(same)}), memlab ${other === undefined ? 'not found' : bytes(other)}`,
      );
    }
  }
  return lines;
}

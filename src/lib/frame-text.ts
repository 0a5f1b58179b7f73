/** A stack frame as V8's allocation tracker records it: the function and where it is defined. */
export interface FrameLike {
  functionName: string;
  script: string;
  line: number | null;
}

/** `pushChart (server.js:40)`: the function and where it is defined (V8 records no line inside it). */
export function frameText(frame: FrameLike): string {
  const file =
    frame.script
      .replace(/^file:\/\//, '')
      .split('/')
      .pop() || '(no script)';
  return `${frame.functionName} (${file}${frame.line === null ? '' : `:${frame.line}`})`;
}

import type { KnownCulprit } from '../../results/doctor.js';

/**
 * What imdiag knows to look for in a frame, a native frame or a snapshot's classes. Frames are
 * matched by file and function, never by line: lines move between versions (the WebIM post-mortem's
 * `mongoose/lib/document.js:1894` is Mongoose 4's hook registration, not the `$__dirty` code the
 * post-mortem quoted; both are Mongoose building documents).
 */
interface Pattern extends KnownCulprit {
  file?: RegExp;
  fn?: RegExp;
  /** Native (C++) frame symbols of V8 and Node. */
  native?: RegExp;
  /** The function alone identifies it (a builtin, whatever file V8 names). */
  fnAlone?: boolean;
  /** Snapshot class names that, at the top, point here. */
  classes?: RegExp;
}

export const PATTERNS: Pattern[] = [
  {
    id: 'mongoose-document',
    label: 'Mongoose document code',
    meaning:
      'Mongoose was building or tracking documents (hydration: init, getters, change tracking) — a query result hydrated whole costs several times its BSON size',
    file: /node_modules\/mongoose\/lib\/(?:document|types\/|schema|helpers\/document)/,
    classes: /^(?:model|EmbeddedDocument|InternalCache|StateMachine|MongooseArray|MongooseDocumentArray|Subdocument|ArraySubdocument)$/,
  },
  {
    id: 'mongoose-query',
    label: 'Mongoose query code',
    meaning: 'Mongoose was turning a query result into documents (completeMany, hydrate) — the whole result is held at once',
    file: /node_modules\/mongoose\/lib\/(?:query|queryhelpers|model|cursor\/|helpers\/query)/,
  },
  {
    id: 'bson',
    label: 'BSON deserialisation',
    meaning: 'the driver was decoding a reply: a large batch or a large document is being turned into JavaScript objects',
    file: /node_modules\/(?:bson|mongodb\/node_modules\/bson)\//,
    classes: /^(?:ObjectId|ObjectID|Binary|Long|Decimal128|Timestamp|BSONRegExp)$/,
  },
  {
    id: 'driver-cursor',
    label: "the MongoDB driver's cursor",
    meaning: 'the driver was reading a result: toArray() (or a large batchSize) holds every document at once',
    file: /node_modules\/(?:mongodb|mongodb-core)\/lib\/(?:cursor|operations|cmap|core\/cursor|connection)/,
    classes: /^(?:FindCursor|AggregationCursor|Cursor)$/,
  },
  {
    id: 'ws-send-queue',
    label: "ws's send queue",
    meaning: 'messages queued for sockets that do not drain: each slow client keeps every pending frame (bufferedAmount)',
    file: /node_modules\/ws\/lib\/(?:sender|websocket)/,
  },
  {
    id: 'socketio-send-queue',
    label: "socket.io's send queue",
    meaning: "packets queued for clients that do not drain (engine.io's writeBuffer), one copy per slow client",
    file: /node_modules\/(?:socket\.io|engine\.io|socket\.io-adapter|socket\.io-parser)\//,
  },
  {
    id: 'json',
    label: 'JSON.parse / JSON.stringify',
    meaning: 'a whole payload was being parsed or serialised at once: the text and the objects are both in the heap',
    file: /^native json\.js$/,
    fn: /^(?:JSON\.)?(?:parse|stringify)$|^Json(?:Parse|Stringify)/,
    fnAlone: true,
    native: /Json(?:Stringifier|Parser|Stringify|Parse)/,
  },
  {
    id: 'buffer-concat',
    label: 'Buffer concatenation',
    meaning: 'chunks were being joined into one Buffer (a whole body read into memory): the chunks and the result coexist',
    file: /(?:^|\/|node:)buffer(?:\.js)?$/,
    fn: /^(?:Buffer\.)?concat$/,
  },
];

/** The frame's culprit: a file pattern matching (and its function pattern, when it has one) or a function alone for native files. */
export function culpritOfFrame(file: string | null, functionName: string): KnownCulprit | null {
  for (const pattern of PATTERNS) {
    const fileMatches = file !== null && pattern.file?.test(file) === true;
    const fnMatches = pattern.fn?.test(functionName) === true;
    if (fileMatches && (pattern.fn === undefined || fnMatches || pattern.fnAlone === true)) return plain(pattern);
    if (fnMatches && pattern.fnAlone === true && (file === null || file.startsWith('native'))) return plain(pattern);
  }
  return null;
}

export function culpritOfNative(symbol: string): KnownCulprit | null {
  const pattern = PATTERNS.find((candidate) => candidate.native?.test(symbol) === true);
  return pattern ? plain(pattern) : null;
}

export function culpritOfClass(className: string): KnownCulprit | null {
  const pattern = PATTERNS.find((candidate) => candidate.classes?.test(className) === true);
  return pattern ? plain(pattern) : null;
}

function plain(pattern: Pattern): KnownCulprit {
  return { id: pattern.id, label: pattern.label, meaning: pattern.meaning };
}

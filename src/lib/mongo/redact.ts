/** Credentials never leave imdiag: `mongodb://user:pass@host` → `mongodb://***@host`. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/i, '$1***@');
}

/** Redacts every MongoDB URI inside a longer text (error messages, argv). */
export function redactText(text: string): string {
  return text.replace(/(mongodb(?:\+srv)?:\/\/)[^@\s/]*@/gi, '$1***@');
}

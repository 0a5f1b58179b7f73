/** Credentials never leave imdiag: `mongodb://user:pass@host` → `mongodb://***@host`. */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)[^\s/]*@/i, '$1***@');
}

/** Redacts every MongoDB URI inside a longer text (error messages, argv). */
export function redactText(text: string): string {
  // Up to the last @ before the path: an unescaped @ in a password must not leave its tail behind.
  return text.replace(/(mongodb(?:\+srv)?:\/\/)[^\s/]*@/gi, '$1***@');
}

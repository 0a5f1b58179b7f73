// `NODE_OPTIONS=--import <this file>`: a Node in which `mongoose` does not resolve, as on a machine
// where the optional dependency is not installed (a resolve hook, https://nodejs.org/api/module.html#resolvespecifier-context-nextresolve).
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'mongoose' || specifier.startsWith('mongoose/')) {
    const error = new Error("Cannot find package 'mongoose' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

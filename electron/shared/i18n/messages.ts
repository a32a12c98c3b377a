/**
 * The shape every language's catalogue has: the English catalogue's keys, with any string as each value. zh-CN/ types
 * its namespaces with it, so a key missing from, or extra to, a translation fails the typecheck.
 */
export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

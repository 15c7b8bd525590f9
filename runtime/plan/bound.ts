/** Walking and rewriting bound expressions: children, pre-order visit, bottom-up map. */
import type { BoundExpr } from './logical.js';

export function visitBound(e: BoundExpr, f: (e: BoundExpr) => void): void {
  f(e);
  for (const c of childrenOf(e)) visitBound(c, f);
}

export function childrenOf(e: BoundExpr): BoundExpr[] {
  switch (e.kind) {
    case 'call':
    case 'native':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      return e.args;
    case 'array':
      return e.elements;
    case 'row':
      return e.fields;
    case 'binary':
    case 'isDistinct':
    case 'nullif':
      return [e.left, e.right];
    case 'unary':
    case 'not':
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'field':
      return [e.arg];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'inList':
      return [e.arg, ...e.list];
    case 'like':
      return [e.arg, e.pattern, ...(e.escape ? [e.escape] : [])];
    case 'regex':
      return [e.arg, e.pattern];
    case 'subscript':
      return [e.arg, e.index];
    case 'slice':
      return [e.arg, ...(e.lower ? [e.lower] : []), ...(e.upper ? [e.upper] : [])];
    case 'quantifiedArray':
      return [e.left, e.right];
    case 'quantifiedSubquery':
      return [e.left];
    default:
      return [];
  }
}

/** Rewrites column indices by `delta` (all columns must stay non-negative). */
export function shiftColumns(e: BoundExpr, delta: number): BoundExpr {
  return mapBound(e, (x) => (x.kind === 'column' ? { ...x, index: x.index + delta } : x));
}

/** Bottom-up rewrite of a bound expression. */
export function mapBound(e: BoundExpr, f: (e: BoundExpr) => BoundExpr): BoundExpr {
  const m = (x: BoundExpr): BoundExpr => mapBound(x, f);
  let r: BoundExpr;
  switch (e.kind) {
    case 'call':
    case 'native':
    case 'and':
    case 'or':
    case 'coalesce':
    case 'greatest':
    case 'least':
      r = { ...e, args: e.args.map(m) };
      break;
    case 'array':
      r = { ...e, elements: e.elements.map(m) };
      break;
    case 'row':
      r = { ...e, fields: e.fields.map(m) };
      break;
    case 'binary':
    case 'isDistinct':
    case 'nullif':
      r = { ...e, left: m(e.left), right: m(e.right) };
      break;
    case 'unary':
    case 'not':
    case 'isNull':
    case 'isBool':
    case 'cast':
    case 'field':
      r = { ...e, arg: m(e.arg) };
      break;
    case 'case':
      r = {
        ...e,
        whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })),
        else: e.else ? m(e.else) : null,
      };
      break;
    case 'inList':
      r = { ...e, arg: m(e.arg), list: e.list.map(m) };
      break;
    case 'like':
      r = { ...e, arg: m(e.arg), pattern: m(e.pattern), escape: e.escape ? m(e.escape) : null };
      break;
    case 'regex':
      r = { ...e, arg: m(e.arg), pattern: m(e.pattern) };
      break;
    case 'subscript':
      r = { ...e, arg: m(e.arg), index: m(e.index) };
      break;
    case 'slice':
      r = {
        ...e,
        arg: m(e.arg),
        lower: e.lower ? m(e.lower) : null,
        upper: e.upper ? m(e.upper) : null,
      };
      break;
    case 'quantifiedArray':
      r = { ...e, left: m(e.left), right: m(e.right) };
      break;
    case 'quantifiedSubquery':
      r = { ...e, left: m(e.left) };
      break;
    default:
      r = e;
  }
  return f(r);
}

/**
 * Compiles bound expressions into closures `(row, env) => value`, with SQL's three-valued logic:
 * strict operators and functions return NULL on a NULL argument; AND/OR follow Kleene logic.
 * Subqueries run through `env.runPlan`. `compiled` caches the closure per expression.
 */
import type { BoundExpr } from '../plan/logical.js';
import type { Row, Value } from '../types/value.js';
import { StructValue } from '../types/value.js';
import { castValue } from '../types/cast.js';
import { jsToValue } from '../types/js.js';
import { compareValues } from '../types/compare.js';
import { likeMatcher, posixRegex, similarToMatcher } from '../functions/pattern.js';
import { SqlError, SqlState } from '../errors.js';
import type { ExecEnv } from './env.js';
import { withOuter } from './env.js';

export type Compiled = (row: Row, env: ExecEnv) => Value;

const compiledCache = new WeakMap<BoundExpr, Compiled>();

/** Compiles an expression once; the closure is reused for every run of the plan. */
export function compiled(e: BoundExpr): Compiled {
  let c = compiledCache.get(e);
  if (!c) {
    const strict = compile(e);
    // In view maintenance (env.evalErrors set) a data error such as division by zero makes
    // the expression NULL instead of failing the write, as RisingWave does; the error is
    // reported to the writer as a notice.
    c = (row, env) => {
      if (!env.evalErrors) return strict(row, env);
      try {
        return strict(row, env);
      } catch (err) {
        if (err instanceof SqlError && err.code.startsWith('22')) {
          env.evalErrors.push(err);
          return null;
        }
        throw err;
      }
    };
    compiledCache.set(e, c);
  }
  return c;
}

export function compile(e: BoundExpr): Compiled {
  switch (e.kind) {
    case 'column': {
      const i = e.index;
      return (row) => row[i] ?? null;
    }
    case 'outerColumn': {
      const { depth, index } = e;
      return (_row, env) => env.outer[env.outer.length - depth]?.[index] ?? null;
    }
    case 'literal': {
      const v = e.value;
      return () => v;
    }
    case 'param': {
      const { index, type } = e;
      return (_row, env) => {
        if (index >= env.params.length)
          throw new SqlError(SqlState.undefinedParameter, `there is no parameter $${index + 1}`);
        // Text-format parameters are parsed as the inferred type; JS values are converted.
        return jsToValue(env.params[index], type, env.ctx);
      };
    }
    case 'call': {
      const args = e.args.map(compile);
      const fn = e.fn;
      const strict = fn.strict !== false;
      return (row, env) => {
        const vals = args.map((a) => a(row, env));
        if (strict && vals.some((v) => v === null)) return null;
        return fn.eval(vals, env.ctx);
      };
    }
    case 'native': {
      const args = e.args.map(compile);
      const f = e.eval;
      return (row, env) =>
        f(
          args.map((a) => a(row, env)),
          env.ctx,
        );
    }
    case 'binary': {
      const l = compile(e.left);
      const r = compile(e.right);
      const op = e.op;
      return (row, env) => {
        const a = l(row, env);
        if (a === null) return null;
        const b = r(row, env);
        if (b === null) return null;
        return op.eval(a, b, env.ctx);
      };
    }
    case 'unary': {
      const a = compile(e.arg);
      const op = e.op;
      return (row, env) => {
        const v = a(row, env);
        return v === null ? null : op.eval(v, env.ctx);
      };
    }
    case 'and': {
      const args = e.args.map(compile);
      return (row, env) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, env);
          if (v === false) return false;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : true;
      };
    }
    case 'or': {
      const args = e.args.map(compile);
      return (row, env) => {
        let sawNull = false;
        for (const a of args) {
          const v = a(row, env);
          if (v === true) return true;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case 'not': {
      const a = compile(e.arg);
      return (row, env) => {
        const v = a(row, env);
        return v === null ? null : !v;
      };
    }
    case 'isNull': {
      const a = compile(e.arg);
      const neg = e.negated;
      return (row, env) => {
        const v = a(row, env);
        // A row value IS NULL when all its fields are null.
        const isNull =
          v === null || (v instanceof StructValue && v.fields.every((f) => f === null));
        const isNotNull =
          v !== null && (!(v instanceof StructValue) || v.fields.every((f) => f !== null));
        return neg ? isNotNull : isNull;
      };
    }
    case 'isBool': {
      const a = compile(e.arg);
      const { value, negated } = e;
      return (row, env) => {
        const v = a(row, env);
        const is = v === value;
        return negated ? !is : is;
      };
    }
    case 'isDistinct': {
      const l = compile(e.left);
      const r = compile(e.right);
      const { eq, negated } = e;
      return (row, env) => {
        const a = l(row, env);
        const b = r(row, env);
        const distinct = a === null || b === null ? a !== b : eq.eval(a, b, env.ctx) !== true;
        return negated ? !distinct : distinct;
      };
    }
    case 'cast': {
      const a = compile(e.arg);
      const { from, type } = e;
      return (row, env) => {
        const v = a(row, env);
        return v === null ? null : castValue(v, from, type, env.ctx);
      };
    }
    case 'case': {
      const whens = e.whens.map((w) => ({ when: compile(w.when), then: compile(w.then) }));
      const otherwise = e.else ? compile(e.else) : null;
      return (row, env) => {
        for (const w of whens) if (w.when(row, env) === true) return w.then(row, env);
        return otherwise ? otherwise(row, env) : null;
      };
    }
    case 'coalesce': {
      const args = e.args.map(compile);
      return (row, env) => {
        for (const a of args) {
          const v = a(row, env);
          if (v !== null) return v;
        }
        return null;
      };
    }
    case 'greatest':
    case 'least': {
      const args = e.args.map(compile);
      const sign = e.kind === 'greatest' ? 1 : -1;
      const t = e.type;
      return (row, env) => {
        let best: Value = null;
        for (const a of args) {
          const v = a(row, env);
          if (v !== null && (best === null || sign * compareValues(v, best, t) > 0)) best = v;
        }
        return best;
      };
    }
    case 'nullif': {
      const l = compile(e.left);
      const r = compile(e.right);
      const eq = e.eq;
      return (row, env) => {
        const a = l(row, env);
        const b = r(row, env);
        if (a !== null && b !== null && eq.eval(a, b, env.ctx) === true) return null;
        return a;
      };
    }
    case 'inList': {
      const a = compile(e.arg);
      const list = e.list.map(compile);
      const { eq, negated } = e;
      return (row, env) => {
        const v = a(row, env);
        if (v === null) return null;
        let sawNull = false;
        for (const x of list) {
          const w = x(row, env);
          if (w === null) sawNull = true;
          else if (eq.eval(v, w, env.ctx) === true) return !negated;
        }
        return sawNull ? null : negated;
      };
    }
    case 'like': {
      const a = compile(e.arg);
      const p = compile(e.pattern);
      const esc = e.escape ? compile(e.escape) : null;
      const { negated, caseInsensitive, similar } = e;
      let lastKey: string | null = null;
      let matcher: ((s: string) => boolean) | null = null;
      return (row, env) => {
        const s = a(row, env);
        const pat = p(row, env);
        if (s === null || pat === null) return null;
        const escape = esc ? esc(row, env) : '\\';
        if (esc && escape === null) return null;
        const key = `${pat as string}\u0000${escape as string}`;
        if (key !== lastKey || !matcher) {
          matcher = similar
            ? similarToMatcher(pat as string, escape as string | null)
            : likeMatcher(pat as string, escape as string | null, caseInsensitive);
          lastKey = key;
        }
        const m = matcher(s as string);
        return negated ? !m : m;
      };
    }
    case 'regex': {
      const a = compile(e.arg);
      const p = compile(e.pattern);
      const { negated, caseInsensitive } = e;
      let last: string | null = null;
      let re: RegExp | null = null;
      return (row, env) => {
        const s = a(row, env);
        const pat = p(row, env);
        if (s === null || pat === null) return null;
        if (pat !== last || !re) {
          re = posixRegex(pat as string, caseInsensitive ? 'i' : '');
          last = pat as string;
        }
        re.lastIndex = 0;
        const m = re.test(s as string);
        return negated ? !m : m;
      };
    }
    case 'array': {
      const elems = e.elements.map(compile);
      return (row, env) => elems.map((x) => x(row, env));
    }
    case 'row': {
      const fields = e.fields.map(compile);
      return (row, env) => new StructValue(fields.map((f) => f(row, env)));
    }
    case 'subscript': {
      const a = compile(e.arg);
      const i = compile(e.index);
      return (row, env) => {
        const arr = a(row, env) as Value[] | null;
        const idx = i(row, env) as number | null;
        if (arr === null || idx === null) return null;
        return arr[idx - 1] ?? null;
      };
    }
    case 'slice': {
      const a = compile(e.arg);
      const lo = e.lower ? compile(e.lower) : null;
      const hi = e.upper ? compile(e.upper) : null;
      return (row, env) => {
        const arr = a(row, env) as Value[] | null;
        if (arr === null) return null;
        const l = lo ? (lo(row, env) as number | null) : 1;
        const h = hi ? (hi(row, env) as number | null) : arr.length;
        if (l === null || h === null) return null;
        return arr.slice(Math.max(l, 1) - 1, Math.max(h, 0));
      };
    }
    case 'field': {
      const a = compile(e.arg);
      const i = e.fieldIndex;
      return (row, env) => {
        const v = a(row, env);
        return v === null ? null : ((v as StructValue).fields[i] ?? null);
      };
    }
    case 'quantifiedArray': {
      const l = compile(e.left);
      const r = compile(e.right);
      const { op, all } = e;
      return (row, env) => {
        const v = l(row, env);
        const arr = r(row, env) as Value[] | null;
        if (arr === null) return null;
        return quantify(v, arr, (x) => op.eval(v!, x, env.ctx), all);
      };
    }
    case 'scalarSubquery': {
      const sub = subqueryRunner(e.plan, e.correlated);
      return (row, env) => {
        const rows = sub(row, env);
        if (rows.length > 1)
          throw new SqlError(
            SqlState.cardinalityViolation,
            'more than one row returned by a subquery used as an expression',
          );
        return rows[0]?.[0] ?? null;
      };
    }
    case 'exists': {
      const sub = subqueryRunner(e.plan, e.correlated);
      const neg = e.negated;
      return (row, env) => sub(row, env).length > 0 !== neg;
    }
    case 'arraySubquery': {
      const sub = subqueryRunner(e.plan, e.correlated);
      return (row, env) => sub(row, env).map((r) => r[0] ?? null);
    }
    case 'quantifiedSubquery': {
      const l = compile(e.left);
      const sub = subqueryRunner(e.plan, e.correlated);
      const { op, all } = e;
      return (row, env) => {
        const v = l(row, env);
        const vals = sub(row, env).map((r) => r[0] ?? null);
        return quantify(v, vals, (x) => op.eval(v!, x, env.ctx), all);
      };
    }
  }
}

/** `v op ANY/ALL (vals)` with SQL NULL semantics. */
function quantify(v: Value, vals: Value[], test: (x: Value) => Value, all: boolean): Value {
  if (vals.length === 0) return all;
  if (v === null) return null;
  let sawNull = false;
  for (const x of vals) {
    if (x === null) {
      sawNull = true;
      continue;
    }
    const r = test(x);
    if (r === null) sawNull = true;
    else if (all && r === false) return false;
    else if (!all && r === true) return true;
  }
  return sawNull ? null : all;
}

function subqueryRunner(
  plan: import('../plan/logical.js').PlanNode,
  correlated: boolean,
): (row: Row, env: ExecEnv) => Row[] {
  if (correlated) return (row, env) => env.runPlan(plan, withOuter(env, row));
  return (_row, env) => {
    let rows = env.subqueryCache.get(plan);
    if (!rows) {
      rows = env.runPlan(plan, env);
      env.subqueryCache.set(plan, rows);
    }
    return rows;
  };
}

/** Evaluates a predicate: only TRUE passes. */
export function compilePredicate(e: BoundExpr): (row: Row, env: ExecEnv) => boolean {
  const c = compile(e);
  return (row, env) => c(row, env) === true;
}

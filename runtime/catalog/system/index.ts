/**
 * System catalog relations (`pg_catalog.*`, `information_schema.*`) computed from the catalog,
 * so that clients' own introspection queries (psql's `\d` family, drivers' type lookups) can
 * read them as ordinary tables. Each relation is a column list plus a function producing its
 * current rows; the binder serves them as read-only tables.
 */
import type { DataType } from '../../types/datatype.js';
import type { Row } from '../../types/value.js';
import { SESSION_DEFAULTS, SETTING_DISPLAY_NAMES } from '../settings.js';
import type { Catalog, RelationDesc } from '../catalog.js';

export interface SystemColumn {
  name: string;
  type: DataType;
}

export interface SystemSettings {
  timeZone: string;
  vars: Map<string, string>;
}

export interface SystemRelation {
  schema: 'pg_catalog' | 'information_schema';
  name: string;
  columns: SystemColumn[];
  rows(catalog: Catalog, settings: SystemSettings): Row[];
}

const text: DataType = { kind: 'text' };
const int2: DataType = { kind: 'int2' };
const int4: DataType = { kind: 'int4' };
// PostgreSQL's `oid` type has no Sluice counterpart; bigint compares and prints the same.
const oid: DataType = { kind: 'int8' };
const bool: DataType = { kind: 'boolean' };
const float4: DataType = { kind: 'float4' };

const textArray: DataType = { kind: 'array', element: text };
const oidArray: DataType = { kind: 'array', element: oid };
const int2Array: DataType = { kind: 'array', element: int2 };

const cols = (spec: string): SystemColumn[] =>
  spec.split(',').map((s) => {
    const [name, t] = s.trim().split(' ') as [string, string];
    const type = {
      text,
      int2,
      int4,
      oid,
      bool,
      float4,
      _text: textArray,
      _oid: oidArray,
      _int2: int2Array,
    }[t];
    if (!type) throw new Error(`bad system column spec ${s}`);
    return { name, type };
  });

export const DATABASE_NAME = 'dev';
export const NAMESPACE = { pg_catalog: 11, public: 2200, information_schema: 13_000 } as const;
const FIRST_USER_OID = 16_384;
const HEAP_AM = 2n;
const BTREE_AM = 403n;

/** [oid, name, typlen, category, element oid, array oid] of every type Sluice reports. */
export const PG_TYPES: [number, string, number, string, number, number][] = [
  [16, 'bool', 1, 'B', 0, 1000],
  [17, 'bytea', -1, 'U', 0, 1001],
  [20, 'int8', 8, 'N', 0, 1016],
  [21, 'int2', 2, 'N', 0, 1005],
  [23, 'int4', 4, 'N', 0, 1007],
  [25, 'text', -1, 'S', 0, 1009],
  [26, 'oid', 4, 'N', 0, 1028],
  [700, 'float4', 4, 'N', 0, 1021],
  [701, 'float8', 8, 'N', 0, 1022],
  [705, 'unknown', -2, 'X', 0, 0],
  [1043, 'varchar', -1, 'S', 0, 1015],
  [1082, 'date', 4, 'D', 0, 1182],
  [1083, 'time', 8, 'D', 0, 1183],
  [1114, 'timestamp', 8, 'D', 0, 1115],
  [1184, 'timestamptz', 8, 'D', 0, 1185],
  [1186, 'interval', 16, 'T', 0, 1187],
  [1700, 'numeric', -1, 'N', 0, 1231],
  [3802, 'jsonb', -1, 'U', 0, 3807],
  [2249, 'record', -1, 'P', 0, 2287],
];
const ARRAY_TYPES: [number, string, number][] = PG_TYPES.filter((t) => t[5] !== 0).map(
  ([elem, name, , , , arr]) => [arr, `_${name}`, elem],
);

/** The type OID each Sluice type kind is reported as. */
export const KIND_OID: Partial<Record<DataType['kind'], number>> = {
  boolean: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  float4: 700,
  float8: 701,
  unknown: 705,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  numeric: 1700,
  jsonb: 3802,
  struct: 2249,
};

/** The PostgreSQL type OID of a Sluice type (arrays map to the element's array type). */
export function pgTypeOid(t: DataType): number {
  if (t.kind === 'array') {
    const elem = KIND_OID[t.element.kind];
    return PG_TYPES.find((p) => p[0] === elem)?.[5] || 2277;
  }
  return KIND_OID[t.kind] ?? 705;
}

/** The type modifier PostgreSQL reports: varchar(n) → n+4, numeric(p,s) → (p<<16 | s)+4. */
export function typmod(t: DataType): number {
  if (t.kind === 'varchar' && t.length !== undefined) return t.length + 4;
  if (t.kind === 'numeric' && t.precision !== undefined)
    return ((t.precision << 16) | (t.scale ?? 0)) + 4;
  return -1;
}

export function relationOid(r: RelationDesc): number {
  return FIRST_USER_OID + r.id;
}

// A primary key's index and constraint get oids derived from their table's, out of the range
// of relation oids.
export function indexOid(r: RelationDesc): number {
  return relationOid(r) + 1_000_000;
}

export function constraintOid(r: RelationDesc): number {
  return relationOid(r) + 2_000_000;
}

/** The user relation with `oid`, if any. */
export function relationByOid(catalog: Catalog, oid: bigint): RelationDesc | undefined {
  const id = Number(oid) - FIRST_USER_OID;
  return id > 0 && id < 1_000_000 ? catalog.byId(id) : undefined;
}

const LONG_TYPE_NAMES: Record<string, string> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  time: 'time without time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  record: 'record',
};

/** PostgreSQL's `format_type(oid, typmod)`, or undefined for an oid naming no type. */
export function formatPgType(typeOid: number, mod: number): string | undefined {
  const base = PG_TYPES.find((t) => t[0] === typeOid);
  if (!base) {
    const arr = PG_TYPES.find((t) => t[5] === typeOid);
    return arr ? `${formatPgType(arr[0], mod)}[]` : undefined;
  }
  const name = LONG_TYPE_NAMES[base[1]] ?? base[1];
  if (mod < 0) return name;
  if (base[1] === 'varchar') return `${name}(${mod - 4})`;
  if (base[1] === 'numeric') return `numeric(${((mod - 4) >> 16) & 0xffff},${(mod - 4) & 0xffff})`;
  return name;
}

/** pg_class.relkind: r table, v view, m materialized view; sources read as foreign tables. */
function relkind(r: RelationDesc): string {
  return { table: 'r', view: 'v', materializedView: 'm', source: 'f' }[r.kind];
}

function visibleColumns(r: RelationDesc): RelationDesc['columns'] {
  return r.columns.filter((c) => !c.hidden);
}

function relations(catalog: Catalog): RelationDesc[] {
  return [...catalog.relations.values()].sort((a, b) => a.id - b.id);
}

function tableType(r: RelationDesc): string {
  return r.kind === 'table' ? 'BASE TABLE' : r.kind === 'source' ? 'FOREIGN' : 'VIEW';
}

function attributeRow(
  r: RelationDesc,
  relOid: number,
  c: RelationDesc['columns'][number],
  attnum: number,
): Row {
  return [
    BigInt(relOid),
    c.name,
    BigInt(pgTypeOid(c.type)),
    PG_TYPES.find((t) => t[0] === pgTypeOid(c.type))?.[2] ?? -1,
    attnum,
    typmod(c.type),
    // Primary-key columns are NOT NULL, as PostgreSQL makes them.
    c.notNull || r.primaryKey.includes(r.columns.indexOf(c)),
    c.default !== undefined,
    '',
    c.generated !== undefined ? 's' : '',
    false,
    0n,
    'p',
    '',
    -1,
    null,
    null,
    null,
  ];
}

export const SYSTEM_RELATIONS: SystemRelation[] = [
  {
    schema: 'pg_catalog',
    name: 'pg_namespace',
    columns: cols('oid oid, nspname text, nspowner oid, nspacl _text'),
    rows: () => [
      [BigInt(NAMESPACE.pg_catalog), 'pg_catalog', 10n, null],
      [BigInt(NAMESPACE.public), 'public', 10n, null],
      [BigInt(NAMESPACE.information_schema), 'information_schema', 10n, null],
    ],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_database',
    columns: cols(
      'oid oid, datname text, datdba oid, encoding int4, datcollate text, datctype text, datistemplate bool, datallowconn bool, datconnlimit int4, dattablespace oid, datacl _text',
    ),
    rows: () => [[16_384n, DATABASE_NAME, 10n, 6, 'C', 'C', false, true, -1, 1663n, null]],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_class',
    columns: cols(
      'oid oid, relname text, relnamespace oid, reltype oid, reloftype oid, relowner oid, relam oid, reltablespace oid, reltoastrelid oid, reltuples float4, relhasindex bool, relisshared bool, relpersistence text, relkind text, relnatts int2, relchecks int2, relhasrules bool, relhastriggers bool, relrowsecurity bool, relforcerowsecurity bool, relispartition bool, relreplident text, relpartbound text, reloptions _text, relacl _text',
    ),
    rows: (catalog) =>
      relations(catalog).flatMap((r) => {
        const row = (
          o: number,
          name: string,
          kind: string,
          natts: number,
          am: bigint,
          hasIndex: boolean,
        ): Row => [
          BigInt(o),
          name,
          BigInt(NAMESPACE.public),
          0n,
          0n,
          10n,
          am,
          0n,
          0n,
          -1,
          hasIndex,
          false,
          'p',
          kind,
          natts,
          0,
          r.kind === 'view',
          false,
          false,
          false,
          false,
          'd',
          null,
          null,
          null,
        ];
        const out = [
          row(
            relationOid(r),
            r.name,
            relkind(r),
            visibleColumns(r).length,
            r.kind === 'table' || r.kind === 'materializedView' ? HEAP_AM : 0n,
            r.primaryKey.length > 0,
          ),
        ];
        // The primary key's index, so that `\d table` lists it.
        if (r.primaryKey.length > 0)
          out.push(row(indexOid(r), `${r.name}_pkey`, 'i', r.primaryKey.length, BTREE_AM, false));
        return out;
      }),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_attribute',
    columns: cols(
      'attrelid oid, attname text, atttypid oid, attlen int2, attnum int2, atttypmod int4, attnotnull bool, atthasdef bool, attidentity text, attgenerated text, attisdropped bool, attcollation oid, attstorage text, attcompression text, attstattarget int4, attoptions _text, attfdwoptions _text, attacl _text',
    ),
    rows: (catalog) =>
      relations(catalog).flatMap((r) => [
        ...visibleColumns(r).map((c, i) => attributeRow(r, relationOid(r), c, i + 1)),
        // The primary key's index has the key columns as its own attributes.
        ...r.primaryKey.map((k, i) => attributeRow(r, indexOid(r), r.columns[k]!, i + 1)),
      ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_type',
    columns: cols(
      'oid oid, typname text, typnamespace oid, typowner oid, typlen int2, typbyval bool, typtype text, typcategory text, typelem oid, typarray oid, typrelid oid, typbasetype oid, typtypmod int4, typnotnull bool, typcollation oid, typdefault text, typdelim text, typacl _text',
    ),
    rows: () => [
      ...PG_TYPES.map(([o, name, len, cat, elem, arr]) => [
        BigInt(o),
        name,
        BigInt(NAMESPACE.pg_catalog),
        10n,
        len,
        len > 0 && len <= 8,
        cat === 'P' ? 'p' : 'b',
        cat,
        BigInt(elem),
        BigInt(arr),
        0n,
        0n,
        -1,
        false,
        0n,
        null,
        ',',
        null,
      ]),
      ...ARRAY_TYPES.map(([o, name, elem]) => [
        BigInt(o),
        name,
        BigInt(NAMESPACE.pg_catalog),
        10n,
        -1,
        false,
        'b',
        'A',
        BigInt(elem),
        0n,
        0n,
        0n,
        -1,
        false,
        0n,
        null,
        ',',
        null,
      ]),
    ],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_index',
    columns: cols(
      'indexrelid oid, indrelid oid, indnatts int2, indnkeyatts int2, indisunique bool, indisprimary bool, indisexclusion bool, indimmediate bool, indisclustered bool, indisvalid bool, indisready bool, indislive bool, indisreplident bool, indkey text, indexprs text, indpred text',
    ),
    rows: (catalog) =>
      relations(catalog)
        .filter((r) => r.primaryKey.length > 0)
        .map((r) => [
          BigInt(indexOid(r)),
          BigInt(relationOid(r)),
          r.primaryKey.length,
          r.primaryKey.length,
          true,
          true,
          false,
          true,
          false,
          true,
          true,
          true,
          false,
          r.primaryKey.map((k) => visibleColumns(r).indexOf(r.columns[k]!) + 1).join(' '),
          null,
          null,
        ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_settings',
    columns: cols(
      'name text, setting text, unit text, category text, short_desc text, context text, vartype text, source text, boot_val text, reset_val text, pending_restart bool',
    ),
    rows: (_catalog, settings) => {
      const display = (k: string): string => SETTING_DISPLAY_NAMES[k] ?? k;
      const all = new Map<string, string>(
        Object.entries(SESSION_DEFAULTS).map(([k, v]) => [display(k), v]),
      );
      all.set('TimeZone', settings.timeZone);
      const defaults = new Map(all);
      defaults.set('TimeZone', 'UTC');
      for (const [k, v] of settings.vars) all.set(display(k), v);
      return [...all].map(([k, v]) => {
        const boot = defaults.get(k) ?? null;
        const source = boot === v ? 'default' : 'session';
        return [k, v, null, 'Sluice', '', 'user', 'string', source, boot, boot, false];
      });
    },
  },
  {
    schema: 'pg_catalog',
    name: 'pg_am',
    columns: cols('oid oid, amname text, amhandler oid, amtype text'),
    rows: () => [
      [HEAP_AM, 'heap', 0n, 't'],
      [BTREE_AM, 'btree', 0n, 'i'],
    ],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_roles',
    columns: cols(
      'oid oid, rolname text, rolsuper bool, rolinherit bool, rolcreaterole bool, rolcreatedb bool, rolcanlogin bool, rolreplication bool, rolconnlimit int4, rolpassword text, rolvaliduntil text, rolbypassrls bool, rolconfig _text',
    ),
    rows: () => [
      [10n, 'root', true, true, true, true, true, true, -1, '********', null, true, null],
    ],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_user',
    columns: cols(
      'usename text, usesysid oid, usecreatedb bool, usesuper bool, userepl bool, usebypassrls bool, passwd text, valuntil text, useconfig _text',
    ),
    rows: () => [['root', 10n, true, true, true, true, '********', null, null]],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_tablespace',
    columns: cols('oid oid, spcname text, spcowner oid, spcacl _text, spcoptions _text'),
    rows: () => [
      [1663n, 'pg_default', 10n, null, null],
      [1664n, 'pg_global', 10n, null, null],
    ],
  },
  {
    schema: 'pg_catalog',
    name: 'pg_constraint',
    columns: cols(
      'oid oid, conname text, connamespace oid, contype text, condeferrable bool, condeferred bool, convalidated bool, conrelid oid, contypid oid, conindid oid, conparentid oid, confrelid oid, confupdtype text, confdeltype text, confmatchtype text, conislocal bool, coninhcount int4, connoinherit bool, conkey text, confkey text, conbin text',
    ),
    rows: (catalog) =>
      relations(catalog)
        .filter((r) => r.primaryKey.length > 0)
        .map((r) => [
          BigInt(constraintOid(r)),
          `${r.name}_pkey`,
          BigInt(NAMESPACE.public),
          'p',
          false,
          false,
          true,
          BigInt(relationOid(r)),
          0n,
          BigInt(indexOid(r)),
          0n,
          0n,
          ' ',
          ' ',
          ' ',
          true,
          0,
          true,
          `{${r.primaryKey.map((k) => visibleColumns(r).indexOf(r.columns[k]!) + 1).join(',')}}`,
          null,
          null,
        ]),
  },
  {
    schema: 'pg_catalog',
    name: 'pg_attrdef',
    columns: cols('oid oid, adrelid oid, adnum int2, adbin text'),
    // Defaults are kept as expressions; their SQL text is what `pg_get_expr` returns.
    rows: () => [],
  },
  ...emptyRelations(),
  {
    schema: 'information_schema',
    name: 'schemata',
    columns: cols('catalog_name text, schema_name text, schema_owner text'),
    rows: () =>
      ['pg_catalog', 'public', 'information_schema'].map((s) => [DATABASE_NAME, s, 'root']),
  },
  {
    schema: 'information_schema',
    name: 'tables',
    columns: cols(
      'table_catalog text, table_schema text, table_name text, table_type text, is_insertable_into text',
    ),
    rows: (catalog) =>
      relations(catalog).map((r) => [
        DATABASE_NAME,
        'public',
        r.name,
        tableType(r),
        r.kind === 'table' ? 'YES' : 'NO',
      ]),
  },
  {
    schema: 'information_schema',
    name: 'columns',
    columns: cols(
      'table_catalog text, table_schema text, table_name text, column_name text, ordinal_position int4, column_default text, is_nullable text, data_type text, character_maximum_length int4, numeric_precision int4, numeric_scale int4, udt_name text',
    ),
    rows: (catalog) =>
      relations(catalog).flatMap((r) =>
        visibleColumns(r).map((c, i) => {
          const t = c.type;
          return [
            DATABASE_NAME,
            'public',
            r.name,
            c.name,
            i + 1,
            null,
            c.notNull ? 'NO' : 'YES',
            dataTypeName(t),
            t.kind === 'varchar' ? (t.length ?? null) : null,
            t.kind === 'numeric' ? (t.precision ?? null) : null,
            t.kind === 'numeric' ? (t.scale ?? null) : null,
            udtName(t),
          ];
        }),
      ),
  },
];

/** Catalogs of features Sluice does not have (inheritance, policies, ...): always empty. */
function emptyRelations(): SystemRelation[] {
  const spec: [string, string][] = [
    ['pg_language', 'oid oid, lanname text, lanowner oid, lanispl bool, lanpltrusted bool'],
    ['pg_enum', 'oid oid, enumtypid oid, enumsortorder float4, enumlabel text'],
    [
      'pg_cast',
      'oid oid, castsource oid, casttarget oid, castfunc oid, castcontext text, castmethod text',
    ],
    [
      'pg_operator',
      'oid oid, oprname text, oprnamespace oid, oprowner oid, oprkind text, oprleft oid, oprright oid, oprresult oid, oprcode oid',
    ],
    ['pg_auth_members', 'roleid oid, member oid, grantor oid, admin_option bool'],
    ['pg_inherits', 'inhrelid oid, inhparent oid, inhseqno int4, inhdetachpending bool'],
    ['pg_description', 'objoid oid, classoid oid, objsubid int4, description text'],
    ['pg_shdescription', 'objoid oid, classoid oid, description text'],
    [
      'pg_policy',
      'oid oid, polname text, polrelid oid, polcmd text, polpermissive bool, polroles _oid, polqual text, polwithcheck text',
    ],
    [
      'pg_statistic_ext',
      'oid oid, stxrelid oid, stxname text, stxnamespace oid, stxowner oid, stxstattarget int4, stxkeys _int2, stxkind _text, stxexprs text',
    ],
    ['pg_statistic_ext_data', 'stxoid oid, stxdinherit bool'],
    [
      'pg_publication',
      'oid oid, pubname text, pubowner oid, puballtables bool, pubinsert bool, pubupdate bool, pubdelete bool, pubtruncate bool, pubviaroot bool',
    ],
    ['pg_publication_rel', 'oid oid, prpubid oid, prrelid oid, prqual text, prattrs text'],
    ['pg_publication_namespace', 'oid oid, pnpubid oid, pnnspid oid'],
    [
      'pg_trigger',
      'oid oid, tgrelid oid, tgparentid oid, tgname text, tgfoid oid, tgtype int2, tgenabled text, tgisinternal bool, tgconstrrelid oid, tgconstrindid oid, tgconstraint oid',
    ],
    [
      'pg_rewrite',
      'oid oid, rulename text, ev_class oid, ev_type text, ev_enabled text, is_instead bool',
    ],
    [
      'pg_collation',
      'oid oid, collname text, collnamespace oid, collowner oid, collprovider text, collisdeterministic bool, collencoding int4, collcollate text, collctype text',
    ],
    ['pg_foreign_table', 'ftrelid oid, ftserver oid, ftoptions _text'],
    [
      'pg_foreign_server',
      'oid oid, srvname text, srvowner oid, srvfdw oid, srvtype text, srvversion text, srvacl _text, srvoptions _text',
    ],
    [
      'pg_partitioned_table',
      'partrelid oid, partstrat text, partnatts int2, partdefid oid, partattrs text, partexprs text',
    ],
    [
      'pg_sequence',
      'seqrelid oid, seqtypid oid, seqstart oid, seqincrement oid, seqmax oid, seqmin oid, seqcache oid, seqcycle bool',
    ],
    [
      'pg_extension',
      'oid oid, extname text, extowner oid, extnamespace oid, extrelocatable bool, extversion text',
    ],
    [
      'pg_event_trigger',
      'oid oid, evtname text, evtevent text, evtowner oid, evtfoid oid, evtenabled text, evttags _text',
    ],
    [
      'pg_proc',
      'oid oid, proname text, pronamespace oid, proowner oid, prolang oid, prokind text, prosecdef bool, proleakproof bool, proretset bool, provolatile text, proparallel text, prorettype oid, proargtypes text, proargnames _text, prosrc text, proacl _text, proconfig _text',
    ],
  ];
  return spec.map(([name, c]) => ({
    schema: 'pg_catalog',
    name,
    columns: cols(c),
    rows: () => [],
  }));
}

/** information_schema.columns.data_type spelling. */
function dataTypeName(t: DataType): string {
  switch (t.kind) {
    case 'array':
      return 'ARRAY';
    case 'struct':
      return 'USER-DEFINED';
    case 'varchar':
      return 'character varying';
    case 'numeric':
      return 'numeric';
    default: {
      const name = PG_TYPES.find((p) => p[0] === pgTypeOid(t))?.[1] ?? t.kind;
      const long: Record<string, string> = {
        bool: 'boolean',
        int2: 'smallint',
        int4: 'integer',
        int8: 'bigint',
        float4: 'real',
        float8: 'double precision',
        time: 'time without time zone',
        timestamp: 'timestamp without time zone',
        timestamptz: 'timestamp with time zone',
      };
      return long[name] ?? name;
    }
  }
}

function udtName(t: DataType): string {
  const o = pgTypeOid(t);
  return (
    PG_TYPES.find((p) => p[0] === o)?.[1] ?? ARRAY_TYPES.find((p) => p[0] === o)?.[1] ?? 'record'
  );
}

/**
 * The system relation `[schema.]name` names, if any. Unqualified names resolve to pg_catalog
 * relations only (pg_catalog is implicitly first on PostgreSQL's search path).
 */
export function systemRelation(
  schema: string | undefined,
  name: string,
): SystemRelation | undefined {
  if (schema === undefined)
    return SYSTEM_RELATIONS.find((r) => r.schema === 'pg_catalog' && r.name === name);
  return SYSTEM_RELATIONS.find((r) => r.schema === schema && r.name === name);
}

/**
 * PostgreSQL-style errors. Every error a user can cause carries a SQLSTATE and, where it helps,
 * a 1-based character position into the statement text (as PostgreSQL's `P` field).
 */
export class SqlError extends Error {
  constructor(
    /** Five-character SQLSTATE, e.g. `42601`. */
    readonly code: string,
    message: string,
    /** 1-based character offset into the query string, if known. */
    public position?: number,
    readonly detail?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/** SQLSTATE codes used across Sluice (PostgreSQL Appendix A names). */
export const SqlState = {
  syntaxError: '42601',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  undefinedFunction: '42883',
  undefinedObject: '42704',
  ambiguousColumn: '42702',
  ambiguousFunction: '42725',
  indeterminateDatatype: '42P18',
  duplicateTable: '42P07',
  duplicateColumn: '42701',
  duplicateObject: '42710',
  duplicateFunction: '42723',
  invalidFunctionDefinition: '42P13',
  datatypeMismatch: '42804',
  groupingError: '42803',
  windowingError: '42P20',
  invalidColumnReference: '42P10',
  cannotCoerce: '42846',
  dependentObjectsStillExist: '2BP01',
  divisionByZero: '22012',
  numericValueOutOfRange: '22003',
  invalidTextRepresentation: '22P02',
  invalidDatetimeFormat: '22007',
  datetimeFieldOverflow: '22008',
  stringDataRightTruncation: '22001',
  invalidParameterValue: '22023',
  invalidRegularExpression: '2201B',
  arraySubscriptError: '2202E',
  cardinalityViolation: '21000',
  notNullViolation: '23502',
  uniqueViolation: '23505',
  featureNotSupported: '0A000',
  invalidParameterStatus: '42P18',
  undefinedParameter: '42P02',
  internalError: 'XX000',
  protocolViolation: '08P01',
  invalidName: '42602',
  wrongObjectType: '42809',
  invalidTableDefinition: '42P16',
  invalidSchemaName: '3F000',
  invalidRecursion: '42P19',
  insufficientPrivilege: '42501',
  programLimitExceeded: '54000',
  ioError: '58030',
  dataCorrupted: 'XX001',
} as const;

export function syntaxError(message: string, position?: number): SqlError {
  return new SqlError(SqlState.syntaxError, message, position);
}

export function notSupported(what: string, position?: number): SqlError {
  return new SqlError(SqlState.featureNotSupported, `${what} is not supported`, position);
}

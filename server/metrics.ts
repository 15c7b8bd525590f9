/** Process-wide counters of the server, rendered in the Prometheus text exposition format. */

export class Metrics {
  statements = 0;
  errors = 0;
  rowsReturned = 0;
  rowsIngested = 0;
  sessionsOpened = 0;
  sessionsActive = 0;
  protocolErrors = 0;
  httpRequests = 0;
  statementSeconds = 0;

  /** Counts one finished statement by its command tag. */
  statement(tag: string, rowsReturned: number, seconds: number): void {
    this.statements++;
    this.rowsReturned += rowsReturned;
    this.statementSeconds += seconds;
    const m = /^(?:INSERT \d+|COPY) (\d+)$/.exec(tag);
    if (m) this.rowsIngested += Number(m[1]);
  }

  render(extra: { queueDepth: number }): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    };
    metric('sluice_statements_total', 'counter', 'Statements executed.', this.statements);
    metric('sluice_statement_errors_total', 'counter', 'Statements that failed.', this.errors);
    metric(
      'sluice_statement_seconds_total',
      'counter',
      'Time spent executing statements.',
      this.statementSeconds,
    );
    metric('sluice_rows_returned_total', 'counter', 'Rows returned to clients.', this.rowsReturned);
    metric(
      'sluice_rows_ingested_total',
      'counter',
      'Rows inserted by INSERT statements.',
      this.rowsIngested,
    );
    metric(
      'sluice_sessions_opened_total',
      'counter',
      'Client sessions opened.',
      this.sessionsOpened,
    );
    metric(
      'sluice_sessions_active',
      'gauge',
      'Client sessions currently open.',
      this.sessionsActive,
    );
    metric(
      'sluice_protocol_errors_total',
      'counter',
      'Sessions ended by a protocol violation.',
      this.protocolErrors,
    );
    metric('sluice_http_requests_total', 'counter', 'HTTP API requests.', this.httpRequests);
    metric('sluice_statement_queue_depth', 'gauge', 'Statements waiting to run.', extra.queueDepth);
    return `${lines.join('\n')}\n`;
  }
}

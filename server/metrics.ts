/** Process-wide counters of the server, rendered in the Prometheus text exposition format. */

/** A label value escaped as the exposition format requires. */
function labelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

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
  subscriptionsActive = 0;
  /** Histogram of view-maintenance time per statement: counts per upper bound (seconds). */
  readonly maintenanceBuckets = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5];
  private readonly maintenanceCounts = new Array<number>(this.maintenanceBuckets.length).fill(0);
  maintenanceCount = 0;
  maintenanceSeconds = 0;

  /** Records the time one statement spent maintaining materialized views at its end. */
  maintenance(seconds: number): void {
    this.maintenanceCount++;
    this.maintenanceSeconds += seconds;
    const i = this.maintenanceBuckets.findIndex((b) => seconds <= b);
    if (i >= 0) this.maintenanceCounts[i]!++;
  }

  /** Counts one finished statement by its command tag. */
  statement(tag: string, rowsReturned: number, seconds: number): void {
    this.statements++;
    this.rowsReturned += rowsReturned;
    this.statementSeconds += seconds;
    const m = /^(?:INSERT \d+|COPY) (\d+)$/.exec(tag);
    if (m) this.rowsIngested += Number(m[1]);
  }

  render(extra: { queueDepth: number; views?: { name: string; rows: number }[] }): string {
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
    metric(
      'sluice_subscriptions_active',
      'gauge',
      'Open /api/subscribe streams.',
      this.subscriptionsActive,
    );
    lines.push(
      '# HELP sluice_view_rows Rows in each materialized view.',
      '# TYPE sluice_view_rows gauge',
      ...(extra.views ?? []).map((v) => `sluice_view_rows{view="${labelValue(v.name)}"} ${v.rows}`),
    );
    lines.push(
      '# HELP sluice_view_maintenance_seconds Time each statement spent maintaining materialized views.',
      '# TYPE sluice_view_maintenance_seconds histogram',
    );
    let cumulative = 0;
    this.maintenanceBuckets.forEach((b, i) => {
      cumulative += this.maintenanceCounts[i]!;
      lines.push(`sluice_view_maintenance_seconds_bucket{le="${b}"} ${cumulative}`);
    });
    lines.push(
      `sluice_view_maintenance_seconds_bucket{le="+Inf"} ${this.maintenanceCount}`,
      `sluice_view_maintenance_seconds_sum ${this.maintenanceSeconds}`,
      `sluice_view_maintenance_seconds_count ${this.maintenanceCount}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

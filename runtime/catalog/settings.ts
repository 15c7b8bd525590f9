/** Session settings every session starts with, as SHOW, current_setting and pg_settings report them. */

/** Session variables with their defaults, as PostgreSQL clients expect to read them. */
export const SESSION_DEFAULTS: Record<string, string> = {
  application_name: '',
  client_encoding: 'UTF8',
  datestyle: 'ISO, MDY',
  intervalstyle: 'postgres',
  server_encoding: 'UTF8',
  server_version: '13.14.0',
  server_version_num: '130014',
  search_path: '"$user", public',
  standard_conforming_strings: 'on',
  transaction_isolation: 'read committed',
  integer_datetimes: 'on',
  rw_implicit_flush: 'true',
  extra_float_digits: '1',
  max_identifier_length: '63',
  is_superuser: 'on',
};

/** Display names of variables whose SHOW column differs from the lower-cased name. */
export const SETTING_DISPLAY_NAMES: Record<string, string> = {
  timezone: 'TimeZone',
  datestyle: 'DateStyle',
  intervalstyle: 'IntervalStyle',
};

/**
 * The S3 backend of the storage interface (`s3://bucket/prefix`). An object `a/b` is the S3 key
 * `prefix/a/b` (`a/b` when the prefix is empty).
 *
 * How it keeps the contract of `runtime/storage/object-store.ts`: an S3 PUT is atomic, so an
 * object is seen whole or not at all, and a PUT to an existing key replaces it whole; S3 answers
 * a PUT only once the object is durably stored, and reads after it see it (S3 is strongly
 * consistent since 2020). A get also checks it received as many bytes as the response announced,
 * so a connection cut mid-body throws instead of returning a short object. Listings page through
 * ListObjectsV2 and are sorted here, by `compareNames`, whatever order the server used.
 *
 * Every failure throws (wrapped, with the SDK error as `cause`); retrying is the caller's
 * business (`retrying`). The client's own retries are turned off (`maxAttempts: 1`) so they do
 * not multiply the caller's, and requests have timeouts so a stalled connection fails instead
 * of hanging. Note the SDK's `requestTimeout` is a whole-request limit that only logs a warning
 * unless `throwOnRequestTimeout` is set; the inactivity limit is `socketTimeout`.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { compareNames, type ObjectStore } from '../../runtime/storage/object-store.js';

/** Milliseconds to connect; then of socket inactivity; then for a whole request and response. */
const CONNECTION_TIMEOUT_MS = 5_000;
const SOCKET_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 120_000;

export interface S3ObjectStoreOptions {
  bucket: string;
  /** Key prefix, without leading or trailing '/' (they are stripped); '' for the bucket root. */
  prefix: string;
  /** Defaults to a client built from the process environment (`s3ClientConfig`). */
  client?: S3Client;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000); small values for tests. */
  pageSize?: number;
}

export class S3ObjectStore implements ObjectStore {
  readonly description: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  /** `prefix + '/'`, or '' when the prefix is empty. */
  private readonly keyPrefix: string;
  private readonly pageSize: number | undefined;

  constructor(o: S3ObjectStoreOptions) {
    if (o.bucket === '') throw new Error('S3 bucket name is empty');
    this.bucket = o.bucket;
    this.prefix = trimSlashes(o.prefix);
    this.keyPrefix = this.prefix === '' ? '' : `${this.prefix}/`;
    this.description = `s3://${this.bucket}${this.prefix === '' ? '' : '/' + this.prefix}`;
    this.client = o.client ?? new S3Client(s3ClientConfig(process.env));
    this.pageSize = o.pageSize;
  }

  private key(name: string): string {
    if (name === '') throw new Error('invalid object name ""');
    return this.keyPrefix + name;
  }

  async put(name: string, data: Uint8Array): Promise<void> {
    const Key = this.key(name);
    try {
      // The SDK reads the body only while sending, and S3 keeps its own copy, so a caller
      // reusing its buffer afterwards cannot change the stored object.
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key,
          Body: data,
          ContentLength: data.byteLength,
        }),
      );
    } catch (e) {
      throw this.failure('put', Key, e);
    }
  }

  async get(name: string): Promise<Uint8Array | null> {
    const Key = this.key(name);
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if (!r.Body) throw new Error('response has no body');
      const bytes = await r.Body.transformToByteArray();
      if (r.ContentLength !== undefined && bytes.byteLength !== r.ContentLength)
        throw new Error(`received ${bytes.byteLength} of ${r.ContentLength} bytes`);
      return bytes;
    } catch (e) {
      if (isNoSuchKey(e)) return null;
      throw this.failure('get', Key, e);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let token: string | undefined;
    try {
      do {
        const r = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.keyPrefix + prefix,
            ContinuationToken: token,
            MaxKeys: this.pageSize,
          }),
        );
        for (const o of r.Contents ?? []) {
          if (o.Key === undefined || !o.Key.startsWith(this.keyPrefix)) continue;
          names.push(o.Key.slice(this.keyPrefix.length));
        }
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
        if (r.IsTruncated && !token) throw new Error('truncated listing without a continuation');
      } while (token);
    } catch (e) {
      throw this.failure('list', this.keyPrefix + prefix, e);
    }
    return names.sort(compareNames);
  }

  async delete(name: string): Promise<void> {
    const Key = this.key(name);
    try {
      // S3 answers 204 whether or not the key existed.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (e) {
      if (isNoSuchKey(e)) return;
      throw this.failure('delete', Key, e);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private failure(op: string, key: string, cause: unknown): Error {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    return new Error(`S3 ${op} s3://${this.bucket}/${key}: ${reason}`, { cause });
  }
}

/** True for a missing key: `NoSuchKey`, or a bare 404 (no body, as for HEAD), but not `NoSuchBucket`. */
function isNoSuchKey(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === 'NoSuchKey') return true;
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404 && e.name !== 'NoSuchBucket';
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/**
 * Splits `s3://bucket/some/prefix` into bucket and prefix. The prefix may be empty
 * (`s3://bucket` or `s3://bucket/`); leading and trailing slashes are dropped from it.
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/?#]*)(\/[^?#]*)?$/i.exec(url);
  if (!m) throw new Error(`not an S3 URL (expected s3://bucket/prefix): ${url}`);
  const bucket = m[1] ?? '';
  if (bucket === '') throw new Error(`S3 URL has no bucket: ${url}`);
  return { bucket, prefix: trimSlashes(m[2] ?? '') };
}

/**
 * S3 client settings from the standard AWS environment: region from `AWS_REGION` or
 * `AWS_DEFAULT_REGION` (default `us-east-1`); endpoint from `AWS_ENDPOINT_URL_S3` or
 * `AWS_ENDPOINT_URL` (S3-compatible servers), with path-style addressing when one is set;
 * credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`(/`AWS_SESSION_TOKEN`) in `env`
 * when both are set, else the SDK's default provider chain (environment, shared config and
 * credential files, SSO, web identity, container and instance metadata).
 */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env['AWS_ENDPOINT_URL_S3'] || env['AWS_ENDPOINT_URL'] || undefined;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  return {
    region: env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(accessKeyId && secretAccessKey
      ? {
          credentials: {
            accessKeyId,
            secretAccessKey,
            ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}),
          },
        }
      : {}),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

/** The store an `s3://bucket/prefix` URL names, with a client configured from `env`. */
export function s3StoreFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): S3ObjectStore {
  const { bucket, prefix } = parseS3Url(url);
  return new S3ObjectStore({ bucket, prefix, client: new S3Client(s3ClientConfig(env)) });
}

/**
 * The S3 backend against a real S3-compatible server: one s3rver child process for the file,
 * a fresh key prefix per store so each starts empty. Faults (500s, dropped connections,
 * truncated bodies, an outage) come from a seeded proxy between the client and s3rver.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retrying, type RetryOptions } from '../../runtime/storage/object-store.js';
import {
  parseS3Url,
  S3ObjectStore,
  s3ClientConfig,
  s3StoreFromUrl,
} from '../../server/storage/s3-store.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3rverProcess } from '../support/s3rver-process.js';
import { objectStoreContract } from './object-store-contract.js';

const BUCKET = 'sluice-test';
let s3: S3rverProcess;

beforeAll(async () => {
  s3 = await startS3rver({ bucket: BUCKET });
});
afterAll(async () => {
  await s3?.stop();
});

let prefixes = 0;
const freshPrefix = (): string => `t${process.pid}-${++prefixes}`;

/** A client for s3rver; `socketTimeout` is how long a request may stall before it fails. */
function client(endpoint: string, socketTimeout = 10_000): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3RVER_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, socketTimeout },
  });
}

const storeAt = (endpoint: string, o: { pageSize?: number; prefix?: string } = {}) =>
  new S3ObjectStore({
    bucket: BUCKET,
    prefix: o.prefix ?? freshPrefix(),
    client: client(endpoint, 3_000),
    pageSize: o.pageSize,
  });

/** Deterministic bytes of a given length, different per `seed`. */
function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 131 + seed * 17 + (i >> 8)) & 0xff;
  return b;
}

const same = (a: Uint8Array | null, b: Uint8Array): boolean =>
  a !== null && Buffer.from(a).equals(Buffer.from(b));

objectStoreContract('s3 (s3rver)', async () => ({ store: storeAt(s3.endpoint) }));

describe('parseS3Url', () => {
  it('splits bucket and prefix', () => {
    expect(parseS3Url('s3://bucket/prefix')).toEqual({ bucket: 'bucket', prefix: 'prefix' });
    expect(parseS3Url('s3://my.bucket-1/a/b/c')).toEqual({
      bucket: 'my.bucket-1',
      prefix: 'a/b/c',
    });
  });

  it('allows an empty prefix', () => {
    expect(parseS3Url('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Url('s3://bucket/')).toEqual({ bucket: 'bucket', prefix: '' });
  });

  it('drops leading and trailing slashes from the prefix', () => {
    expect(parseS3Url('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b' });
    expect(parseS3Url('s3://bucket//a//')).toEqual({ bucket: 'bucket', prefix: 'a' });
  });

  it('rejects what is not an s3:// URL with a bucket', () => {
    for (const bad of ['', 'bucket/prefix', 'http://bucket/p', 's3:/bucket', 's3://', 's3:///p'])
      expect(() => parseS3Url(bad), bad).toThrow();
  });

  it('gives the store its description', async () => {
    const s = new S3ObjectStore({ bucket: 'b', prefix: '/data/x/', client: client(s3.endpoint) });
    expect(s.description).toBe('s3://b/data/x');
    expect(s.prefix).toBe('data/x');
    await s.close();
    const root = new S3ObjectStore({ bucket: 'b', prefix: '', client: client(s3.endpoint) });
    expect(root.description).toBe('s3://b');
    await root.close();
  });
});

describe('s3 client configuration', () => {
  it('reads region and endpoint from the AWS environment', () => {
    const plain = s3ClientConfig({});
    expect(plain.region).toBe('us-east-1');
    expect(plain.endpoint).toBeUndefined();
    expect(plain.forcePathStyle).toBeUndefined();
    expect(plain.credentials).toBeUndefined();
    expect(plain.maxAttempts).toBe(1);
    // The SDK's requestTimeout only warns unless told to throw; socketTimeout catches stalls.
    expect(plain.requestHandler).toMatchObject({
      socketTimeout: 10_000,
      throwOnRequestTimeout: true,
    });
    expect(s3ClientConfig({ AWS_DEFAULT_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(s3ClientConfig({ AWS_REGION: 'eu-north-1', AWS_DEFAULT_REGION: 'x' }).region).toBe(
      'eu-north-1',
    );
    const custom = s3ClientConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' });
    expect(custom.endpoint).toBe('http://127.0.0.1:9000');
    expect(custom.forcePathStyle).toBe(true);
  });

  it('builds a working store from an s3:// URL and the environment', async () => {
    const prefix = freshPrefix();
    const s = s3StoreFromUrl(`s3://${BUCKET}/${prefix}/`, {
      AWS_ENDPOINT_URL: s3.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    });
    try {
      expect(s.description).toBe(`s3://${BUCKET}/${prefix}`);
      await s.put('m/1', Uint8Array.of(7, 8));
      expect(await s.get('m/1')).toEqual(Uint8Array.of(7, 8));
      expect(await s.list('m/')).toEqual(['m/1']);
    } finally {
      await s.close();
    }
  });
});

describe('s3 store key layout', () => {
  it('puts objects under prefix + "/" and strips it from listings', async () => {
    const prefix = freshPrefix();
    const a = storeAt(s3.endpoint, { prefix });
    const root = storeAt(s3.endpoint, { prefix: '' });
    try {
      await a.put('x/1', Uint8Array.of(1));
      expect(await root.get(`${prefix}/x/1`)).toEqual(Uint8Array.of(1));
      expect(await root.list(`${prefix}/`)).toEqual([`${prefix}/x/1`]);
      expect(await a.list('')).toEqual(['x/1']);
      // A sibling prefix that merely starts the same is another store.
      const b = storeAt(s3.endpoint, { prefix: `${prefix}0` });
      await b.put('x/2', Uint8Array.of(2));
      expect(await a.list('')).toEqual(['x/1']);
      await b.close();
    } finally {
      await a.close();
      await root.close();
    }
  });

  // Names here avoid characters below '/' after a shared stem, which s3rver (not S3) mislists
  // across page boundaries (see tests/support/s3rver-process.ts).
  it('pages through long listings', async () => {
    const s = storeAt(s3.endpoint, { pageSize: 3 });
    try {
      const names = Array.from({ length: 11 }, (_, i) => `p/${String(i * 7).padStart(3, '0')}`);
      for (const n of [...names].reverse()) await s.put(n, Uint8Array.of(1));
      await s.put('q', Uint8Array.of(1));
      expect(await s.list('p/')).toEqual(names);
      expect((await s.list('')).length).toBe(12);
    } finally {
      await s.close();
    }
  });

  it('fails (rather than looking empty) when the bucket does not exist', async () => {
    const s = new S3ObjectStore({
      bucket: 'no-such-bucket',
      prefix: 'p',
      client: client(s3.endpoint),
    });
    try {
      await expect(s.get('x')).rejects.toThrow(/bucket/i);
      await expect(s.list('')).rejects.toThrow(/bucket/i);
    } finally {
      await s.close();
    }
  });
});

describe('s3 store through a faulty network', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(s3.endpoint, { seed: 20240611 });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  const quick: RetryOptions = { initialDelayMs: 2, maxDelayMs: 20, deadlineMs: 20_000 };

  it('with retrying, puts, gets and lists intact data despite errors and drops', async () => {
    proxy.set({ errorRate: 0.35, dropRate: 0.35, dropPhase: 'both', delayMs: 0, down: false });
    const before = { ...proxy.stats };
    const s = storeAt(proxy.endpoint);
    try {
      const objects = [0, 1, 100, 70_000, 300_001].map((n, i) => ({
        name: `f/${i}`,
        data: pattern(n, i),
      }));
      for (const o of objects) await retrying(() => s.put(o.name, o.data), quick);
      for (const o of objects) {
        const back = await retrying(() => s.get(o.name), quick);
        expect(back?.length).toBe(o.data.length);
        expect(same(back, o.data)).toBe(true);
      }
      expect(await retrying(() => s.list('f/'), quick)).toEqual(objects.map((o) => o.name));
      expect(await retrying(() => s.get('f/missing'), quick)).toBeNull();
    } finally {
      await s.close();
    }
    expect(proxy.stats.errors).toBeGreaterThan(before.errors);
    expect(proxy.stats.drops).toBeGreaterThan(before.drops);
    expect(proxy.stats.forwarded).toBeGreaterThan(before.forwarded);
  });

  it('a body cut off partway fails the get instead of returning short data', async () => {
    proxy.set({ errorRate: 0, dropRate: 0, down: false });
    const s = storeAt(proxy.endpoint);
    try {
      const data = pattern(200_000, 3);
      await s.put('big', data);
      proxy.set({ dropRate: 1, dropPhase: 'response' });
      await expect(s.get('big')).rejects.toThrow();
      // The put reached the server, but its answer was lost: it fails, and retrying is harmless.
      await expect(s.put('lost-ack', data)).rejects.toThrow();
      proxy.set({ dropRate: 0 });
      expect(same(await s.get('lost-ack'), data)).toBe(true);
      expect(same(await s.get('big'), data)).toBe(true);
    } finally {
      proxy.set({ dropRate: 0, dropPhase: 'both' });
      await s.close();
    }
  });

  it('during an outage retrying gives up at its deadline, and the same store recovers', async () => {
    proxy.set({ errorRate: 0, dropRate: 0, delayMs: 0, down: false });
    const s = storeAt(proxy.endpoint);
    try {
      const data = pattern(5_000, 9);
      await s.put('before', data);
      proxy.set({ down: true });
      const opts: RetryOptions = { initialDelayMs: 10, maxDelayMs: 50, deadlineMs: 300 };
      const t0 = Date.now();
      await expect(retrying(() => s.put('during', data), opts)).rejects.toThrow();
      await expect(retrying(() => s.get('before'), opts)).rejects.toThrow();
      await expect(retrying(() => s.list(''), opts)).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(5_000);

      proxy.set({ down: false });
      await retrying(() => s.put('during', data), quick);
      expect(same(await retrying(() => s.get('before'), quick), data)).toBe(true);
      expect(same(await retrying(() => s.get('during'), quick), data)).toBe(true);
      expect(await retrying(() => s.list(''), quick)).toEqual(['before', 'during']);
    } finally {
      proxy.set({ down: false });
      await s.close();
    }
  });

  it('a stalled request times out instead of hanging', async () => {
    proxy.set({ errorRate: 0, dropRate: 0, down: false, delayMs: 0 });
    const s = new S3ObjectStore({
      bucket: BUCKET,
      prefix: freshPrefix(),
      client: client(proxy.endpoint, 200),
    });
    try {
      await s.put('slow', Uint8Array.of(1));
      proxy.set({ delayMs: 1_000 });
      const t0 = Date.now();
      await expect(s.get('slow')).rejects.toThrow();
      expect(Date.now() - t0).toBeLessThan(900);
      proxy.set({ delayMs: 0 });
      expect(await retrying(() => s.get('slow'), quick)).toEqual(Uint8Array.of(1));
    } finally {
      proxy.set({ delayMs: 0 });
      await s.close();
    }
  });

  it('an outage that ends while retrying is ridden out', async () => {
    proxy.set({ errorRate: 0, dropRate: 0, down: true, delayMs: 20 });
    const s = storeAt(proxy.endpoint);
    try {
      const data = pattern(1_000, 4);
      setTimeout(() => proxy.set({ down: false }), 300);
      let failures = 0;
      await retrying(() => s.put('x', data), { ...quick, onRetry: () => failures++ });
      expect(failures).toBeGreaterThan(0);
      expect(same(await retrying(() => s.get('x'), quick), data)).toBe(true);
    } finally {
      proxy.set({ down: false, delayMs: 0 });
      await s.close();
    }
  });
});

import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelaisError, type LaunchContext } from '../../contract';
import { toErrorShape } from '../errors';
import { parseContextFileContent, watchContextFile, type ContextFileWatcher } from './context-file';
import { ContextFileError, assertTrustedContextFile, findDuplicateJsonKey } from './context-file-checks';

const JSON_OK = JSON.stringify({
  ins: '295109912611193',
  oid: '1.2.250.1.213.1.4.10',
  birthName: 'Dupont',
  firstNames: ['Marie'],
  birthDate: '1995-10-12',
  sex: 'F',
});

describe('duplicated JSON keys', () => {
  it('finds a key given twice in one object, escapes decoded, at any depth; not across objects', () => {
    expect(findDuplicateJsonKey('{"ins":"A","ins":"B"}')).toBe('ins');
    expect(findDuplicateJsonKey('{"ins":"A","\\u0069ns":"A"}')).toBe('ins');
    expect(findDuplicateJsonKey('{"a":{"x":1,"x":2}}')).toBe('x');
    expect(findDuplicateJsonKey('{"a":[{"x":1},{"x":2}],"b":"a\\",\\"a"}')).toBeUndefined();
    expect(findDuplicateJsonKey('{"a":"ins","ins":"a","list":["ins","ins"]}')).toBeUndefined();
    expect(findDuplicateJsonKey('{}')).toBeUndefined();
  });

  it('refuses a context file with a key twice (JSON.parse would silently open the last one)', () => {
    const twice = JSON_OK.replace('"birthName":"Dupont"', '"birthName":"Dupont","birthName":"Martin"');
    expect(JSON.parse(twice)).toMatchObject({ birthName: 'Martin' });
    let error: unknown;
    try {
      parseContextFileContent(Buffer.from(twice));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContextFileError);
    expect(toErrorShape(error)).toMatchObject({ code: 'INVALID_INPUT', reason: 'CONTEXT_FILE_DUPLICATE_KEY' });
    // Even with the same value: a writer that repeats keys is not one to guess about.
    expect(() => parseContextFileContent(Buffer.from(JSON_OK.replace('"sex":"F"', '"sex":"F","sex":"F"')))).toThrow(ContextFileError);
  });
});

describe('who may write the context file (POSIX)', () => {
  const mine = { uid: 1000, mode: 0o100644 };
  const dir = { uid: 1000, mode: 0o40755 };
  const reasonOf = (fn: () => void) => {
    try {
      fn();
      return 'accepted';
    } catch (e) {
      return (e as ContextFileError).reason;
    }
  };

  it('accepts a file and directory of the current user or root, group write allowed', () => {
    expect(reasonOf(() => assertTrustedContextFile('/f', mine, dir, 1000))).toBe('accepted');
    expect(reasonOf(() => assertTrustedContextFile('/f', { uid: 0, mode: 0o100664 }, { uid: 0, mode: 0o40775 }, 1000))).toBe('accepted');
    expect(reasonOf(() => assertTrustedContextFile('/f', mine, { uid: 0, mode: 0o41777 }, 1000))).toBe('accepted'); // /tmp: sticky
  });

  it('refuses another owner, a world-writable file, a world-writable directory without sticky bit', () => {
    expect(reasonOf(() => assertTrustedContextFile('/f', { uid: 1001, mode: 0o100644 }, dir, 1000))).toBe('CONTEXT_FILE_UNSAFE_OWNER');
    expect(reasonOf(() => assertTrustedContextFile('/f', mine, { uid: 1001, mode: 0o40755 }, 1000))).toBe('CONTEXT_FILE_UNSAFE_OWNER');
    expect(reasonOf(() => assertTrustedContextFile('/f', { uid: 1000, mode: 0o100666 }, dir, 1000))).toBe('CONTEXT_FILE_UNSAFE_PERMISSIONS');
    expect(reasonOf(() => assertTrustedContextFile('/f', mine, { uid: 1000, mode: 0o40777 }, 1000))).toBe('CONTEXT_FILE_UNSAFE_PERMISSIONS');
  });
});

describe.skipIf(process.platform === 'win32')('watchContextFile refuses an untrusted file (real files and modes)', () => {
  let dir: string;
  let path: string;
  let watcher: ContextFileWatcher | undefined;
  let contexts: LaunchContext[];
  let errors: RelaisError[];
  const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
  const me = process.getuid!();

  function start(uid = me) {
    watcher = watchContextFile({ path, debounceMs: 50, pollIntervalMs: 60, uid, onContext: (c) => contexts.push(c), onError: (e) => errors.push(e) });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relais-ctxtrust-'));
    path = join(dir, 'patient.json');
    contexts = [];
    errors = [];
  });
  afterEach(() => {
    watcher?.close();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a 0600 file in a 0700 directory of the current user', async () => {
    start();
    await writeFile(path, JSON_OK, { mode: 0o600 });
    await settle();
    expect(contexts).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('refuses a world-writable file, once, naming the file; opens it once fixed', async () => {
    start();
    await writeFile(path, JSON_OK);
    chmodSync(path, 0o666);
    await settle();
    expect(contexts).toEqual([]);
    expect(errors.map((e) => toErrorShape(e))).toEqual([
      { code: 'INVALID_INPUT', message: expect.any(String), field: path, reason: 'CONTEXT_FILE_UNSAFE_PERMISSIONS' },
    ]);
    chmodSync(path, 0o644);
    await settle();
    expect(contexts).toHaveLength(1);
  });

  it('refuses a file in a world-writable directory', async () => {
    chmodSync(dir, 0o777);
    start();
    await writeFile(path, JSON_OK, { mode: 0o600 });
    await settle();
    expect(contexts).toEqual([]);
    expect(errors.map((e) => (e as ContextFileError).reason)).toEqual(['CONTEXT_FILE_UNSAFE_PERMISSIONS']);
  });

  it('refuses a file owned by another user', async () => {
    start(me === 0 ? 0 : me + 1);
    await writeFile(path, JSON_OK, { mode: 0o600 });
    if (me === 0) chownSync(path, 4242, 4242); // root here: a real other owner
    await settle();
    expect(contexts).toEqual([]);
    expect(errors.map((e) => (e as ContextFileError).reason)).toEqual(['CONTEXT_FILE_UNSAFE_OWNER']);
  });
});

// Jest's runtime, keeping V8's compiled code between runs. Jest compiles every module again for each test file
// (each file has a module registry and a VM context of its own): graphql, zod, TypeScript and Jest's own expect and
// snapshot code were parsed some ninety times per unit run. V8 can start from data it produced for the same source
// instead (`vm.compileFunction`'s cachedData), so each module's code is parsed once per change, not once per file.
// The data is kept under Jest's cache directory (`npx jest --clearCache` removes it), keyed by the module's file
// name, its transformed source, the Node.js version and the flags node runs with (a profiler, for one, makes V8
// refuse code cached without it); V8 checks it again on use and compiles from the source when it refuses it. The key
// is a SHA-1: it names a file, it guards nothing, and hashing the 180 MB a unit run compiles is twice as fast as with
// SHA-256.
//
// A worker runs many test files, and Jest reads and decodes every module's file again for each of them (its file
// cache lives as long as one test file). Within a worker, both are kept: a module's text while the file stays the
// same (see stampOf: a run in band in watch mode keeps this process across edits), and the code cache data for the
// same transformed text (no hash, no read). CommonJS because jest loads it untransformed.
const { createHash, randomUUID } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, sep } = require('node:path');
const { compileFunction } = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → { stamp, buffer, text } for the life of the worker. */
const filesRead = new Map();
/** filename → { source, data }: the code cache data last used for exactly this transformed source. */
const codeCacheData = new Map();

/**
 * What tells a changed file: its size, modification time and inode. Installed packages are read once per worker, as
 * Jest's watch mode, which ignores changes under node_modules, treats them.
 */
const stampOf = (filename) => {
  if (filename.includes(`${sep}node_modules${sep}`)) return 'installed';
  const stats = statSync(filename, { throwIfNoEntry: false });
  return stats === undefined ? undefined : `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
};

/** The worker's copy of a file, read again when its stamp changed. */
const fileRead = (filename) => {
  const stamp = stampOf(filename);
  const kept = filesRead.get(filename);
  if (kept !== undefined && stamp !== undefined && kept.stamp === stamp) return kept;
  const entry = { stamp, buffer: readFileSync(filename), text: undefined };
  if (stamp !== undefined) filesRead.set(filename, entry);
  return entry;
};

class CodeCachingRuntime extends Runtime {
  constructor(config, ...rest) {
    super(config, ...rest);
    const executor = this.executor;
    const fileCache = this.fileCache;
    if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)
      || typeof fileCache?.readFile !== 'function' || typeof fileCache.readFileBuffer !== 'function') {
      // The executor and file cache are Jest 30's; a Jest that moved them needs this file adapted (or removed from
      // jest.base.config.ts).
      throw new Error('codeCachingRuntime: this Jest has no runtime.executor.compile or runtime.fileCache to keep compiled code for');
    }
    // The test file itself is in Jest's per-file map already (the runner read it); everything else comes from the
    // worker's copies. The per-file maps still answer first, so a file's modules see one version of each source.
    const readFileBufferOnce = fileCache.readFileBuffer.bind(fileCache);
    fileCache.readFileBuffer = (filename) => {
      if (fileCache.buffers.has(filename)) return readFileBufferOnce(filename);
      const { buffer } = fileRead(filename);
      fileCache.buffers.set(filename, buffer);
      return buffer;
    };
    fileCache.readFile = (filename) => {
      let text = fileCache.strings.get(filename);
      if (text === undefined) {
        const entry = fileRead(filename);
        entry.text ??= entry.buffer.toString();
        text = entry.text;
        fileCache.strings.set(filename, text);
      }
      return text;
    };

    const folder = join(config.cacheDirectory, 'v8-code-cache');
    const runtimeKey = `${process.version}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}\0`;
    mkdirSync(folder, { recursive: true });
    const compileFromSource = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || executor.resolution.isCoreModule(filename)) return compileFromSource(source, filename);
      const known = codeCacheData.get(filename);
      let file;
      let cachedData;
      if (known !== undefined && known.source === source) {
        cachedData = known.data;
      } else {
        file = join(folder, createHash('sha1').update(runtimeKey).update(`${filename}\0`).update(source).digest('hex'));
        try {
          cachedData = readFileSync(file);
        } catch {
          cachedData = undefined;
        }
      }
      let compiled;
      try {
        compiled = compileFunction(source, executor.injectedModuleParameters, {
          filename,
          cachedData,
          produceCachedData: cachedData === undefined,
          importModuleDynamically: (specifier, _script, attributes, phase) =>
            executor.dynamicImport(specifier, filename, context, attributes, phase),
          parsingContext: context,
        });
      } catch {
        // Jest's own compile reports the error as Jest does (syntax errors, ES modules it cannot require).
        return compileFromSource(source, filename);
      }
      if (cachedData !== undefined && compiled.cachedDataRejected) {
        codeCacheData.delete(filename);
        rmSync(file ?? join(folder, createHash('sha1').update(runtimeKey).update(`${filename}\0`).update(source).digest('hex')), { force: true });
      } else if (cachedData !== undefined) {
        codeCacheData.set(filename, { source, data: cachedData });
      } else if (compiled.cachedDataProduced) {
        // Written beside its final name and renamed over it: two workers filling one key never leave half a file.
        const staged = `${file}.${randomUUID()}.tmp`;
        writeFileSync(staged, compiled.cachedData);
        renameSync(staged, file);
        codeCacheData.set(filename, { source, data: compiled.cachedData });
      }
      return compiled;
    };
  }
}

module.exports = CodeCachingRuntime;

// Jest's runtime, keeping V8's compiled code between test files and between runs. Jest compiles every module again
// for each test file (each file has a module registry and a VM context of its own): graphql, zod, TypeScript and
// Jest's own expect and snapshot code were parsed some ninety times per unit run.
//
// Within a worker, each module is compiled once, as a script that any context can run (Jest's module wrapper, which
// `vm.Script` keeps apart from the context it runs in): running it in a test file's context gives that file its own
// module function, with its own state, while V8 shares the code, including the functions it compiled lazily for an
// earlier file. Across runs, a new script starts from the code cache data V8 produced for the same source, written
// once the test file that compiled it has run. The data is kept under Jest's cache directory (`npx jest --clearCache`
// removes it), one file per module, Node.js version and flags (a profiler, for one, makes V8 refuse code cached
// without it), headed by the SHA-1 of the source it is for; V8 checks it again on use and compiles from the source
// when it refuses it. The SHA-1 tells versions of a file apart, it guards nothing.
//
// Jest also reads and decodes every module's file again for each test file (its file cache lives as long as one
// test file); a worker keeps each module's text while the file stays the same (see stampOf: a run in band in watch
// mode keeps this process across edits). CommonJS because jest loads it untransformed.
const { createHash, randomUUID } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { join, sep } = require('node:path');
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → { stamp, buffer, text } for the life of the worker. */
const filesRead = new Map();
/** filename → { source, parameters, script }: the worker's compiled script for exactly this transformed source. */
const scriptsCompiled = new Map();
/**
 * The executor of the test file the worker runs now. A script is shared by every file's context, so its dynamic
 * imports go to whichever file is running (a worker runs one file at a time).
 */
let activeExecutor;
/** code cache file → { script, sourceDigest }: compiled in this worker without usable data on disk; written at the file's end. */
const scriptsToCache = new Map();

/**
 * Jest's module wrapper, as a script: run in a context, it gives the module's function for that context. In
 * parentheses, so that V8 compiles the module's body with the script (and keeps it in the code cache data) rather
 * than on the first call.
 */
const wrapped = (source, parameters) => `(function (${parameters}) {${source}\n})`;

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

/** What code cache data is valid for besides the source: V8 refuses data made by another Node.js or other flags. */
const runtimeKey = `${process.version}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}\0`;
/** Code cache folders this worker has made sure exist. */
const foldersMade = new Set();

/** SHA-1 of a module's wrapped source, at the head of its code cache file: the data is for this source only. */
const SOURCE_DIGEST_BYTES = 20;

/**
 * The script for a module's wrapped source, starting from the code cache data on disk when it was made for the same
 * source and V8 accepts it. Undefined when the source does not compile: Jest's own compile then reports the error as
 * Jest does (syntax errors, ES modules it cannot require).
 *
 * A module has one cache file per Node.js version and flags, named by its file name: a changed source overwrites it,
 * so the folder holds one file per module rather than one per version of every module ever run.
 */
function compiledScript(folder, filename, code) {
  const file = join(folder, createHash('sha1').update(runtimeKey).update(filename).digest('hex'));
  const sourceDigest = createHash('sha1').update(code).digest();
  let cachedData;
  try {
    const kept = readFileSync(file);
    if (kept.subarray(0, SOURCE_DIGEST_BYTES).equals(sourceDigest)) cachedData = kept.subarray(SOURCE_DIGEST_BYTES);
  } catch {
    cachedData = undefined;
  }
  let script;
  try {
    script = new Script(code, {
      filename,
      cachedData,
      importModuleDynamically: (specifier, _script, attributes, phase) =>
        activeExecutor.dynamicImport(specifier, filename, activeExecutor.environment.getVmContext(), attributes, phase),
    });
  } catch {
    return undefined;
  }
  if (cachedData === undefined || script.cachedDataRejected) scriptsToCache.set(file, { script, sourceDigest });
  return script;
}

/**
 * Writes the code cache data of the scripts compiled without it. Called once the test file that compiled them has
 * run: the data then holds the functions V8 compiled while it ran, not only the module bodies.
 */
function writeCodeCaches() {
  for (const [file, { script, sourceDigest }] of scriptsToCache) {
    // Written beside its final name and renamed over it: two workers filling one key never leave half a file.
    const staged = `${file}.${randomUUID()}.tmp`;
    writeFileSync(staged, Buffer.concat([sourceDigest, script.createCachedData()]));
    renameSync(staged, file);
  }
  scriptsToCache.clear();
}

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
    if (!foldersMade.has(folder)) {
      mkdirSync(folder, { recursive: true });
      foldersMade.add(folder);
    }
    const compileFromSource = executor.compile.bind(executor);
    const parameters = executor.injectedModuleParameters.join(',');
    activeExecutor = executor;
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || executor.resolution.isCoreModule(filename)) return compileFromSource(source, filename);
      let kept = scriptsCompiled.get(filename);
      if (kept === undefined || kept.source !== source || kept.parameters !== parameters) {
        const script = compiledScript(folder, filename, wrapped(source, parameters));
        if (script === undefined) return compileFromSource(source, filename);
        kept = { source, parameters, script };
        scriptsCompiled.set(filename, kept);
      }
      return kept.script.runInContext(context);
    };
  }

  teardown() {
    super.teardown();
    writeCodeCaches();
  }
}

module.exports = CodeCachingRuntime;

// Jest's runtime, keeping V8's compiled code between runs. Jest compiles every module again for each test file
// (each file has a module registry and a VM context of its own): graphql, zod, TypeScript and Jest's own expect and
// snapshot code were parsed some ninety times per unit run. V8 can start from data it produced for the same source
// instead (`vm.compileFunction`'s cachedData), so each module's code is parsed once per change, not once per file.
// The data is kept under Jest's cache directory (`npx jest --clearCache` removes it), keyed by the module's file
// name, its transformed source, the Node.js version and the flags node runs with (a profiler, for one, makes V8
// refuse code cached without it); V8 checks it again on use and compiles from the source when it refuses it. The key
// is a SHA-1: it names a file, it guards nothing, and hashing the 180 MB a unit run compiles is twice as fast as with
// SHA-256. CommonJS because jest loads it untransformed.
const { createHash, randomUUID } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { compileFunction } = require('node:vm');
const Runtime = require('jest-runtime').default;

class CodeCachingRuntime extends Runtime {
  constructor(config, ...rest) {
    super(config, ...rest);
    const executor = this.executor;
    if (typeof executor?.compile !== 'function' || !Array.isArray(executor.injectedModuleParameters)) {
      // The executor is Jest 30's; a Jest that moved it needs this file adapted (or removed from jest.base.config.ts).
      throw new Error('codeCachingRuntime: this Jest has no runtime.executor.compile to keep compiled code for');
    }
    const folder = join(config.cacheDirectory, 'v8-code-cache');
    const runtimeKey = `${process.version}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}\0`;
    mkdirSync(folder, { recursive: true });
    const compileFromSource = executor.compile.bind(executor);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null || executor.resolution.isCoreModule(filename)) return compileFromSource(source, filename);
      const file = join(folder, createHash('sha1').update(runtimeKey).update(`${filename}\0`).update(source).digest('hex'));
      let cachedData;
      try {
        cachedData = readFileSync(file);
      } catch {
        cachedData = undefined;
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
      if (cachedData !== undefined && compiled.cachedDataRejected) rmSync(file, { force: true });
      if (cachedData === undefined && compiled.cachedDataProduced) {
        // Written beside its final name and renamed over it: two workers filling one key never leave half a file.
        const staged = `${file}.${randomUUID()}.tmp`;
        writeFileSync(staged, compiled.cachedData);
        renameSync(staged, file);
      }
      return compiled;
    };
  }
}

module.exports = CodeCachingRuntime;

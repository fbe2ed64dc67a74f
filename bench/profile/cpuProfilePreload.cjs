// Preloaded (`--require`) into every service when the bench runs with
// `--cpu-prof DIR`: Node refuses `--cpu-prof` in NODE_OPTIONS, so this starts
// the V8 profiler through the inspector and writes the profile at exit.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-thread session answers synchronously, so this runs before the process ends.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      const service = (process.argv[1] || 'node').replace(/^.*\/(gateway|subgraphs\/\w+|scripts)\/src\/.*$/, '$1').replace(/\//g, '-');
      writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}

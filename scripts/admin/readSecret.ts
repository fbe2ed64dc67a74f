/**
 * A secret for an operator's command: from its environment variable, else asked for. At a terminal
 * it is typed without echo; from a pipe (`… | npm run admin -- …`) the first line is read. It is
 * never written anywhere.
 */
export async function readSecret(env: Readonly<Record<string, string | undefined>>, variable: string, what: string): Promise<string> {
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const typed = process.stdin.isTTY ? await promptWithoutEcho(`${what} (or set ${variable}): `) : await firstLineOfStdin();
  if (!typed) throw new Error(`no ${what} given: set ${variable}, or type it when asked`);
  return typed;
}

async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  process.stdin.pause();
  return text.split(/\r?\n/)[0] ?? '';
}

function promptWithoutEcho(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish();
          reject(new Error('cancelled'));
          return;
        }
        typed = char === '\u007f' || char === '\b' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

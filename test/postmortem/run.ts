import { main, type CliIo } from '../../src/cli/main.js';

/** Runs the CLI in-process, capturing stdout and stderr. */
export async function run(args: string[], stdin?: NodeJS.ReadableStream): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, stderrIsTTY: false, stdin };
  const code = await main(['node', 'sipscope', ...args], io);
  return { code, out, err };
}

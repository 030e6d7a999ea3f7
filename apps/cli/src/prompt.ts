// Reading a secret: from standard input when it is piped (`vantage login < key.txt`, a password manager's output),
// else from a prompt that does not echo what is typed.
import { createInterface } from 'node:readline';

export async function readSecret(stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }, prompt: string): Promise<string> {
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk.toString();
    return text.split('\n')[0] ?? '';
  }
  process.stderr.write(prompt);
  const rl = createInterface({ input: stdin, terminal: true });
  // Echo nothing of what is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const line = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return line;
}

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Type-checks a snippet as a module of this workspace, returning the diagnostics as text. */
function typeCheck(code: string, name: string): string[] {
  const file = `${root}examples/quickstart/${name}`;
  writeFileSync(file, code);
  try {
    const configFile = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
    const program = ts.createProgram([file], { ...parsed.options, noEmit: true });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(file, { force: true });
  }
}

describe('README', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');

  it('has an embedding example of at most 20 lines of code that compiles', () => {
    const match = /<!-- embedding-example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
    expect(match, 'README embedding example block').not.toBeNull();
    const code = match![1]!;
    const codeLines = code.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('//'));
    expect(codeLines.length).toBeLessThanOrEqual(20);
    expect(typeCheck(`${code}\nexport {};\n`, '.readme-embedding.ts')).toEqual([]);
  }, 60_000);

  it('quick start is exactly two commands: install + demo, install + test', () => {
    const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!;
    const commands = block.split('\n').filter(Boolean).map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
    expect(readFileSync(`${root}.ci/run`, 'utf8')).toContain('npm ci && npm test\n');
  });
});

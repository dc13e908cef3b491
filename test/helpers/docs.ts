/**
 * Reading the documentation as a test: the Markdown files of the repository, their fenced code blocks, the shell
 * commands in them (continuation lines joined), and shell-style word splitting for running one without a shell.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** README.md, model/README.md and every Markdown page under docs/, as repository-relative paths. */
export function docFiles(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) pages.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'docs'));
  return ['README.md', 'model/README.md', ...pages.sort()];
}

export function readDoc(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** The fenced code blocks of a Markdown text (indented fences included, e.g. inside a list), with their language. */
export function codeBlocks(markdown: string): { language: string; text: string }[] {
  const blocks: { language: string; text: string }[] = [];
  let open: { indent: string; language: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (open) {
      if (fence && fence[2] === '') {
        blocks.push({ language: open.language, text: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line.startsWith(open.indent) ? line.slice(open.indent.length) : line);
      }
    } else if (fence) {
      open = { indent: fence[1]!, language: fence[2]!, lines: [] };
    }
  }
  return blocks;
}

/** The one block of `language` in a text; throws when there is not exactly one (a test must know which it runs). */
export function onlyBlock(markdown: string, language: string, containing = ''): string {
  const found = codeBlocks(markdown).filter((block) => block.language === language && block.text.includes(containing));
  if (found.length !== 1) throw new Error(`expected one \`\`\`${language} block containing "${containing}", found ${found.length}`);
  return found[0]!.text;
}

const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell']);

/**
 * The shell commands of a Markdown text: each line of its sh/bash/shell blocks, a line ending in `\` joined with the
 * next (one space), blank lines and comment-only lines left out, a here-document's body skipped (the command is
 * its first line). Trailing comments stay part of the command.
 */
export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of codeBlocks(markdown)) {
    if (!SHELL_LANGUAGES.has(block.language)) continue;
    let pending = '';
    let heredocEnd: string | undefined;
    for (const line of block.text.split('\n')) {
      // A here-document's lines belong to the command that opened it (kept as that command's first line).
      if (heredocEnd !== undefined) {
        if (line.trim() === heredocEnd) heredocEnd = undefined;
        continue;
      }
      heredocEnd = /<<-?'?(\w+)'?\s*$/.exec(line)?.[1];
      const joined = pending ? `${pending} ${line.trim()}` : line.trim();
      if (joined.endsWith('\\')) {
        pending = joined.slice(0, -1).trimEnd();
        continue;
      }
      pending = '';
      if (joined !== '' && !joined.startsWith('#')) commands.push(joined);
    }
  }
  return commands;
}

/**
 * Splits a simple command into words as a POSIX shell would for the forms the docs use: single quotes (literal),
 * double quotes (no expansions inside them are used by the docs), backslash escapes outside quotes. Anything that
 * needs a real shell (`$`, `<(`, `&&`, `|`, `;`) is refused, so a test never runs a command differently.
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i]!;
    if (char === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      const end = command.indexOf('"', i + 1);
      if (end < 0) throw new Error(`unterminated " in ${command}`);
      const inside = command.slice(i + 1, end);
      if (/[$`\\]/.test(inside)) throw new Error(`needs a real shell: ${command}`);
      word = (word ?? '') + inside;
      i = end;
    } else if (char === '\\') {
      word = (word ?? '') + (command[i + 1] ?? '');
      i++;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (/[$<>|;&#`()]/.test(char)) {
      throw new Error(`needs a real shell: ${command}`);
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

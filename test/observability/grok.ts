/**
 * Grok as Logstash evaluates it: `%{PATTERN:field:type}` expanded from the vendored Logstash
 * ECS-v1 pattern library (test/fixtures/logstash-patterns-ecs-v1, logstash-patterns-core
 * 7f94275), `(?<[a][b]>…)` inline captures, and the result run by Oniguruma (vscode-oniguruma's
 * WASM build of the engine whose Java port, Joni, Logstash's grok uses).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as onig from 'vscode-oniguruma';

const PATTERN_DIR = path.join(__dirname, '..', 'fixtures', 'logstash-patterns-ecs-v1');

let loaded: Promise<void> | undefined;
/** Loads the Oniguruma WASM module once. */
export function loadOniguruma(): Promise<void> {
  loaded ??= onig.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer);
  return loaded;
}

function libraryPatterns(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of fs.readdirSync(PATTERN_DIR).filter((f) => !f.endsWith('.md'))) {
    for (const line of fs.readFileSync(path.join(PATTERN_DIR, file), 'utf8').split('\n')) {
      const m = /^([A-Za-z0-9_]+)\s+(.*)$/.exec(line);
      if (m && !line.startsWith('#')) out[m[1]] = m[2];
    }
  }
  return out;
}

interface Capture { readonly field: string; readonly type?: string }

export interface CompiledGrok {
  /** `[a][b]` field → value (converted by its :int/:float type), or undefined when nothing matched. */
  match(line: string): Record<string, string | number> | undefined;
}

/**
 * Compiles grok patterns (tried in order, the first match wins, as `match => { "message" => [...] }`).
 * Named captures become plain groups; every group is numbered in order of its opening parenthesis.
 */
export function compileGrok(patterns: readonly string[]): CompiledGrok {
  const library = libraryPatterns();
  const compiled = patterns.map((p) => {
    const captures: Array<Capture | undefined> = [];
    let expanded = p;
    // Expand %{NAME} / %{NAME:field} / %{NAME:field:type} until none are left (the library nests them).
    for (let i = 0; /%\{/.test(expanded); i++) {
      if (i > 50) throw new Error(`grok: pattern expansion does not terminate: ${p}`);
      expanded = expanded.replace(/%\{([A-Za-z0-9_]+)(?::([^:}]+))?(?::(int|float))?\}/g, (_all, name: string, field?: string, type?: string) => {
        const body = library[name];
        if (body === undefined) throw new Error(`grok: unknown pattern %{${name}}`);
        return field ? `(?<\u0000${field}\u0001${type ?? ''}\u0002>${body})` : `(?:${body})`;
      });
    }
    // Walk the regex: each capturing '(' gets the next group number.
    let source = '';
    let inClass = false;
    for (let i = 0; i < expanded.length; i++) {
      const c = expanded[i];
      if (c === '\\') { source += c + expanded[i + 1]; i++; continue; }
      if (inClass) { if (c === ']') inClass = false; source += c; continue; }
      if (c === '[') { inClass = true; source += c; continue; }
      if (c !== '(') { source += c; continue; }
      const rest = expanded.slice(i + 1);
      const internal = /^\?<\u0000([^\u0001]*)\u0001([^\u0002]*)\u0002>/.exec(rest);
      const inline = /^\?<(\[[^>]+\]|[A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (internal) {
        captures.push({ field: internal[1], type: internal[2] || undefined });
        source += '(';
        i += internal[0].length;
      } else if (inline) {
        captures.push({ field: inline[1] });
        source += '(';
        i += inline[0].length;
      } else if (rest.startsWith('?')) {
        source += '(';
      } else {
        captures.push(undefined); // a plain group of the library: captures, unnamed
        source += '(';
      }
    }
    return { scanner: onig.createOnigScanner([source]), captures };
  });
  return {
    match(line: string) {
      const str = onig.createOnigString(line);
      try {
        for (const { scanner, captures } of compiled) {
          const m = scanner.findNextMatchSync(str, 0);
          // grok matches anywhere unless anchored; our patterns anchor with ^…$.
          if (!m) continue;
          const out: Record<string, string | number> = {};
          captures.forEach((c, i) => {
            const g = m.captureIndices[i + 1];
            // keep_empty_captures is false in Logstash: an empty or unmatched group sets nothing.
            if (!c || !g || g.start < 0 || g.end <= g.start) return;
            const text = line.slice(g.start, g.end);
            const field = c.field.startsWith('[') ? c.field : `[${c.field}]`;
            out[field] = c.type === 'int' ? parseInt(text, 10) : c.type === 'float' ? parseFloat(text) : text;
          });
          return out;
        }
        return undefined;
      } finally {
        str.dispose();
      }
    },
  };
}

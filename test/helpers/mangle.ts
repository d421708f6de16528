// Real topology files mangled as typing and pasting do, for the robustness properties of the engine and the server:
// every conformance case, spec example and bundled example, with a piece cut out and a tricky token pasted in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const root = join(import.meta.dirname, '..', '..');
const tomlFiles = (dir: string) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.toml'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8'));
export const TEXTS = [
  ...tomlFiles('test/fixtures/conformance/cases'),
  ...tomlFiles('test/fixtures/examples'),
  ...tomlFiles('examples'),
];

/** What typing and pasting put in the middle of a file. */
const TOKENS = [
  '[',
  ']',
  '[[',
  ']]',
  '"',
  "'",
  '"""',
  '=',
  ',',
  '{',
  '}',
  '\n',
  '.',
  '#',
  '\\',
  '\\u',
  '[services.',
  '[[services.web.depends_on]]\n',
  'depends_on = [{ service = "',
  'volumes = ["',
  ':/data:ro',
  'memory = ',
  'cpus = 1e400',
  'pids = 18446744073709551616',
  'health_check = "a && b"',
  'networks = ["',
  'egress_allow = ["10.0.0.0/33"]',
  '😀',
  '\u0000',
  '\r',
];

/** A fixture with at most one cut (up to 40 characters) and one paste (a token up to 4 times), anywhere. */
export const mangledText = fc
  .record({
    file: fc.nat({ max: TEXTS.length - 1 }),
    cut: fc.option(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat({ max: 40 }))),
    paste: fc.option(
      fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...TOKENS), fc.nat({ max: 3 })),
    ),
  })
  .map(({ file, cut, paste }) => {
    let text = TEXTS[file]!;
    if (cut) {
      const from = Math.floor(cut[0] * text.length);
      text = text.slice(0, from) + text.slice(from + cut[1]);
    }
    if (paste) {
      const at = Math.floor(paste[0] * text.length);
      text = text.slice(0, at) + paste[1].repeat(paste[2] + 1) + text.slice(at);
    }
    return text;
  });

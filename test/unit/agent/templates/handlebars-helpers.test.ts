import { describe, expect, it } from 'vitest';
import { createHandlebarsEngine } from '../../../../agent/templates/handlebars/handlebars-engine.js';
import { aLookup, aVaultSecret, compileOrFail, contentOf, read, reasonOf } from './template-builders.js';

const engine = createHandlebarsEngine();
const data = {
  text: '  Hello, World  ',
  csv: 'a,b,,c',
  json: '{"b":1,"a":[true,null]}',
  b64: 'aMOpbGxvIOKYgyDwn5iA',
  b64Lines: 'aMOp\r\nbGxv\n',
  list: ['x', 'y'],
  map: { b: 2, a: '<&>' },
  n: 5,
  zero: 0,
  empty: '',
  nested: { inner: { deep: 'found' } },
};
const lookup = aLookup([[read('kv/d'), { kind: 'secret', secret: aVaultSecret(data) }]]);

/** Renders `expression` inside `{{#with (secret "kv/d")}}…{{/with}}`, so `Data.*` is the table above. */
function output(expression: string, env: Record<string, string> = {}): string {
  return contentOf(compileOrFail(engine, `{{#with (secret "kv/d")}}${expression}{{/with}}`).render(lookup, { env }));
}

function failure(expression: string): string {
  return reasonOf(compileOrFail(engine, `{{#with (secret "kv/d")}}${expression}{{/with}}`).render(lookup, { env: {} }));
}

describe('handlebars helpers', () => {
  it.each([
    ['toJSON', '{{toJSON Data.map}}', '{"a":"\\u003c\\u0026\\u003e","b":2}'],
    ['toJSON of a missing value', '{{toJSON Data.nope}}', 'null'],
    ['toJSONPretty', '{{toJSONPretty Data.list}}', '[\n  "x",\n  "y"\n]'],
    ['toYAML', '{{toYAML Data.map}}', 'a: <&>\nb: 2'],
    ['toYAML of a list in a map', '{{toYAML (parseJSON "{\\"l\\":[1,2]}")}}', 'l:\n- 1\n- 2'],
    ['parseJSON', '{{#with (parseJSON Data.json)}}{{b}} {{toJSON a}}{{/with}}', '1 [true,null]'],
    ['parseJSON of an empty string', '{{toJSON (parseJSON "")}}', '{}'],
    ['base64Encode', '{{base64Encode "héllo ☃ 😀"}}', 'aMOpbGxvIOKYgyDwn5iA'],
    ['base64Decode', '{{base64Decode Data.b64}}', 'héllo ☃ 😀'],
    ['base64Decode skipping line breaks', '{{base64Decode Data.b64Lines}}', 'héllo'],
    ['base64URLEncode with padding', '{{base64URLEncode "??>"}}', 'Pz8-'],
    ['base64URLDecode', '{{base64URLDecode "Pz8-"}}', '??>'],
    ['env', '{{env "HOME"}}|{{env "UNSET"}}', '/home/app|'],
    ['index into maps and lists', '{{index Data "nested" "inner" "deep"}} {{index Data.list 1}} [{{index Data.map "nope"}}]', 'found y []'],
    ['split', '{{#each (split "," Data.csv)}}[{{this}}]{{/each}}', '[a][b][][c]'],
    ['split of blank text', '{{toJSON (split "," "   ")}}', '[]'],
    ['split into characters', '{{toJSON (split "" "a😀")}}', '["a","😀"]'],
    ['join', '{{join "-" Data.list}} {{join "," (split "," "1,2")}}', 'x-y 1,2'],
    ['trimSpace', '[{{trimSpace Data.text}}]', '[Hello, World]'],
    ['toLower / toUpper', '{{toLower "AbC"}}{{toUpper "AbC"}}', 'abcABC'],
    ['replaceAll', '{{replaceAll "," ";" Data.csv}} {{replaceAll "" "-" "ab"}}', 'a;b;;c -a-b-'],
    ['replaceAll without replacement patterns', '{{replaceAll "a" "$&$&" "a"}}', '$&$&'],
    ['contains on lists and text', '{{contains "x" Data.list}} {{contains "z" Data.list}} {{contains "World" Data.text}}', 'true false true'],
    ['printf', '{{printf "%s=%d %v" "n" Data.n Data.list}}', 'n=5 [x y]'],
    ['eq with several candidates', '{{eq Data.n 1 5}} {{eq "a" "b"}} {{eq Data.nope null}}', 'true false true'],
    ['ne', '{{ne 1 2}} {{ne "a" "a"}}', 'true false'],
    ['lt / le / gt / ge', '{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', 'true true true false'],
    ['and / or return an argument', '[{{and 1 "x"}}] [{{and 1 Data.zero "x"}}] [{{or Data.empty Data.zero "z"}}] [{{or "" 0}}]', '[x] [0] [z] [0]'],
    ['and stops at nothing', '[{{and Data.nope "x"}}]', '[]'],
    ['not with Go emptiness', '{{not Data.empty}} {{not (parseJSON "{}")}} {{not (split "," "")}} {{not Data.list}}', 'true true true false'],
    ['if with comparisons', '{{#if (and (gt Data.n 1) (contains "y" Data.list))}}yes{{else}}no{{/if}}', 'yes'],
  ])('%s', (_, expression, expected) => {
    expect(output(expression, { HOME: '/home/app' })).toBe(expected);
  });

  it.each([
    ['base64Decode of bad input', '{{base64Decode "CANARY!"}}', 'base64Decode: the input is not valid padded base64'],
    ['base64Decode without padding', '{{base64Decode "YQ"}}', 'base64Decode: the input is not valid padded base64'],
    ['parseJSON of bad input', '{{parseJSON "{CANARY"}}', 'parseJSON: the input is not valid JSON'],
    ['a string helper given a number', '{{toUpper Data.n}}', 'toUpper: argument 1 must be a string, got a number'],
    ['a string helper given nothing', '{{toUpper Data.nope}}', 'toUpper: argument 1 must be a string, got nothing (a missing key?)'],
    ['too many arguments', '{{base64Encode "a" "b"}}', 'base64Encode: expected 1 argument, got 2'],
    ['index out of range', '{{index Data.list 5}}', 'index: list index out of range'],
    ['index into text', '{{index Data.text "x"}}', 'index: cannot index a string'],
    ['eq on a map', '{{eq Data.map Data.map}}', 'eq: only strings, numbers, booleans and nothing can be compared, got a map'],
    ['lt on mixed types', '{{lt 1 "2"}}', 'lt: expected two numbers or two strings, got a number and a string'],
    ['join of maps', '{{join "," (parseJSON "[{}]")}}', 'join: list items must be strings, numbers or booleans, got a map'],
    ['printf with a bad verb', '{{printf "%q" "CANARY"}}', 'printf: only %v, %s, %d and %% are supported'],
  ])('refuses %s without quoting the value', (_, expression, reason) => {
    expect(failure(expression)).toBe(reason);
  });
});

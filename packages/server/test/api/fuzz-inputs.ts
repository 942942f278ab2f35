// Random inputs for the fuzz test: values shaped by a procedure's JSON schema (mostly valid, sometimes not), nasty
// values of every JSON type, and malformed request bodies and query strings.
import fc from 'fast-check';

/** The subset of JSON Schema that zod's toJSONSchema produces for our inputs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const hostileStrings = [
  '',
  ' ',
  '0',
  '-1',
  '1e400',
  '9'.repeat(40),
  'null',
  'undefined',
  '<script>alert(1)</script>',
  "'; drop table users; --",
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '🦀'.repeat(30),
  'A'.repeat(3000),
  '11111111111111111111111111111111',
  'So11111111111111111111111111111111111111112',
  'legacy:abc',
];

/** Any JSON value, including the awkward ones (huge numbers, deep nesting, long strings). */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 4 }),
);

/** Values that exist in the fuzzed server (a stored root's wallets, the logged-in viewer), by property name. */
export type KnownValues = Readonly<Record<string, readonly unknown[]>>;

let known: KnownValues = {};

/**
 * Sets the values properties of these names sometimes take, so that lookups also find something.
 *
 * @example useKnownValues({ wallet: [wallet(1).base58], login: ['fuzzer'] });
 */
export function useKnownValues(values: KnownValues): void {
  known = values;
}

/**
 * Values for `schema`: mostly what it allows (so handlers run), sometimes anything at all.
 *
 * @example fc.sample(valueFor(schema), 10)
 */
export function valueFor(schema: JsonSchema | undefined, depth = 0, name = ''): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 4) return nastyValue;
  const existing = known[name];
  const valid =
    existing === undefined || existing.length === 0
      ? validFor(schema, depth)
      : fc.oneof(fc.constantFrom(...existing), validFor(schema, depth));
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: nastyValue, weight: 1 });
}

function validFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined && alternatives.length > 0) {
    return fc.oneof(...alternatives.map((alternative) => valueFor(alternative, depth + 1)));
  }
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record = Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [key, valueFor(value, depth + 1, key)]),
      );
      return fc.record(record, { requiredKeys: [...required].filter((key) => key in record) });
    }
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 });
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -(2 ** 31);
      const max = schema.maximum ?? 2 ** 31;
      return fc.oneof(
        fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }),
        fc.constantFrom(min, max, min - 1, max + 1),
      );
    }
    case 'string': {
      if (schema.pattern !== undefined) {
        return fc.oneof(fc.stringMatching(new RegExp(schema.pattern)), fc.string({ maxLength: 30 }));
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 100) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return nastyValue;
  }
}

/** Raw text that is not what a route expects: broken JSON, wrong shapes, odd encodings. */
export const malformedText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '[',
    '{"a":',
    '{"json":',
    'null',
    'undefined',
    '',
    '%',
    '%E0%A4%A',
    '\u0000',
    '{"0":{"json":1}}',
  ),
  fc.string({ maxLength: 60 }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value)),
);

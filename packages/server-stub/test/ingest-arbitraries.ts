// What the ingest fuzzer sends: items of every type built to the wire protocol, mutations that
// each make one item invalid for a known reason, and envelopes the server must refuse whole.
import fc from 'fast-check';
import { LIMITS, METRICS, scaleOf, type Metric } from '@cxkit/protocol';

type Json = Record<string, unknown>;

/** Stand-ins for what a hostile or broken sender puts where a value belongs. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, '', 'NaN', 'Infinity', '-0', [], {}, [1, 2], { nested: 'x' }),
  fc.double(),
  fc.jsonValue({ maxDepth: 2 }),
);

// Units that stress what storage and JSON do with text: ASCII, any code point but U+0000 (astral
// ones are two UTF-16 units), separators, byte order marks, bidi overrides and SQL.
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000') },
  { weight: 1, arbitrary: fc.constantFrom('\u2028', '\ufeff', '\u202e', '"', '\\', "'; DROP TABLE items; --") },
);

/** Text no engine stores as sent: U+0000 (PostgreSQL refuses it), a lone surrogate (no UTF-8 form). */
const unstorable = fc.oneof(
  fc.constant('\u0000'),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
).chain((bad) => fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })).map(([before, after]) => `${before}${bad}${after}`));

/** A well-formed string of min..max UTF-16 units, as valibot counts length (an astral unit cut in two is left out). */
const text = (min: number, max: number) =>
  fc
    .string({ unit, minLength: min, maxLength: max })
    .map((value) => value.slice(0, max))
    .filter((value) => value.length >= min && value.isWellFormed());

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];
const safeKey = text(0, 20).filter((key) => !FORBIDDEN.includes(key));
const bag = fc.dictionary(safeKey, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });

/** Any time the protocol reads, years 0000 to 9999, as devices with any clock send it. */
export const isoTime = fc
  .date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString(),
      // The same instant written with an offset, as some clients send it.
      date.toISOString().replace(/\.\d+Z$/, '+00:00'),
    ),
  );

const id = text(1, 64);
const name = text(1, 200);
/** Each metric's default scale, from the protocol. */
export const SCALES = Object.fromEntries(METRICS.map((metric) => [metric, [scaleOf(metric).min, scaleOf(metric).max]])) as Record<
  Metric,
  [number, number]
>;

const base = fc.record(
  {
    id,
    timestamp: isoTime,
    anonymousId: name,
    userId: name,
    sessionId: name,
    context: fc.record({ url: text(0, 2048), locale: text(0, 35) }, { requiredKeys: [] }),
    // Fields the server does not know are stored as they were sent.
    futureField: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['id', 'timestamp', 'anonymousId', 'sessionId'] },
);

const response = fc.constantFrom<Metric>('nps', 'csat', 'ces').chain((metric) =>
  fc.record(
    {
      type: fc.constant('survey_response'),
      surveyId: id,
      responseId: id,
      metric: fc.constant(metric),
      score: fc.integer({ min: SCALES[metric][0], max: SCALES[metric][1] }),
      comment: text(0, LIMITS.commentChars),
      final: fc.boolean(),
    },
    { requiredKeys: ['type', 'surveyId', 'responseId', 'metric', 'score', 'final'] },
  ),
);

const perType = fc.oneof(
  fc.record({ type: fc.constant('session_start') }),
  fc.record({ type: fc.constant('active') }),
  fc.record({ type: fc.constant('track'), event: name, properties: bag }, { requiredKeys: ['type', 'event'] }),
  fc.record({ type: fc.constant('identify'), userId: name, traits: bag }, { requiredKeys: ['type', 'userId'] }),
  fc.record({ type: fc.constant('survey_shown'), surveyId: id }),
  fc.record({ type: fc.constant('survey_dismissed'), surveyId: id, reason: fc.constantFrom('close', 'later', 'never') }),
  response,
);

/** Any item the protocol accepts. */
export const validItem: fc.Arbitrary<Json> = fc
  .tuple(base, perType)
  .map(([common, specific]) => ({ ...common, ...specific }) as Json)
  // Free text of the widest units can outgrow the item limit; such an item is no longer valid.
  .filter((item) => Buffer.byteLength(JSON.stringify(item)) <= LIMITS.itemBytes)
  // A generated key deep in a value could be one the server refuses.
  .filter((item) => !FORBIDDEN.some((key) => JSON.stringify(item).includes(`"${key}"`)));

const REQUIRED: Record<string, string[]> = {
  session_start: [],
  active: [],
  track: ['event'],
  identify: ['userId'],
  survey_shown: ['surveyId'],
  survey_dismissed: ['surveyId', 'reason'],
  survey_response: ['surveyId', 'responseId', 'metric', 'score', 'final'],
};
const requiredOf = (item: Json) => ['id', 'type', 'timestamp', 'anonymousId', 'sessionId', ...REQUIRED[item.type as string]!];
const pick = <T>(list: readonly T[]) => fc.constantFrom(...list);

const nested = (levels: number, leaf: unknown, asArray: boolean): unknown => {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = asArray ? [value] : { d: value };
  return value;
};

/** A value whose JSON, under any of these units, is over `bytes` bytes. */
const hugeString = (bytes: number) =>
  pick(['x', 'é', '😀', '\ud800', '"']).map((repeated) => repeated.repeat(Math.ceil(bytes / Buffer.byteLength(repeated))));

const BAD_TIMESTAMPS = [
  'yesterday',
  '',
  '2026-11-25',
  '2026-11-25T25:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-11-25T11:59:00',
  '11/25/2026',
  '2026-11-25T11:59:00+01',
  '2026-11-25T11:59:00 +01:00',
  '+275760-09-13T00:00:00.000Z',
  '2026-11-25T11:59:00.000Z ',
];

const validResponseBase = fc.tuple(base, response).map(([common, specific]) => ({ ...common, ...specific }) as Json);

type Mutation = (item: Json) => fc.Arbitrary<unknown>;

// Each makes a valid item invalid: whatever else is true of it, the server must reject it.
const MUTATIONS: Mutation[] = [
  (item) => pick(requiredOf(item)).map((key) => without(item, key)),
  (item) =>
    fc
      .tuple(pick(requiredOf(item).filter((key) => key !== 'score' && key !== 'final')), wrongValue)
      .filter(([, value]) => typeof value !== 'string')
      .map(([key, value]) => ({ ...item, [key]: value })),
  (item) => pick(['id', 'anonymousId', 'sessionId', 'type']).map((key) => ({ ...item, [key]: '' })),
  (item) =>
    fc.oneof(
      text(65, 80).map((long) => ({ ...item, id: long })),
      text(201, 220).map((long) => ({ ...item, anonymousId: long })),
      fc.constant({ ...item, context: { url: 'u'.repeat(2049) } }),
      fc.constant({ ...item, context: { locale: 'l'.repeat(36) } }),
      fc.constant({ ...item, context: 'https://app.example.com' }),
      fc.constant({ ...item, context: ['https://app.example.com', 'en'] }),
    ),
  (item) => pick(BAD_TIMESTAMPS).map((bad) => ({ ...item, timestamp: bad })),
  (item) => fc.oneof(fc.string({ maxLength: 20 }), pick(['Track', 'survey-response', 'response', 'identify '])).filter((type) => !(type in REQUIRED)).map((type) => ({ ...item, type })),
  (item) => hugeString(LIMITS.itemBytes + 1).map((pad) => ({ ...item, pad })),
  (item) =>
    fc.tuple(fc.integer({ min: LIMITS.itemDepth, max: LIMITS.itemDepth + 8 }), fc.boolean()).map(([levels, asArray]) => ({ ...item, deep: nested(levels, 1, asArray) })),
  (item) =>
    fc.tuple(pick(FORBIDDEN), fc.integer({ min: 0, max: 3 }), pick(['item', 'properties', 'context'])).map(([key, depth, where]) => {
      const poisoned = nested(depth, JSON.parse(`{"${key}": {"polluted": true}}`), false);
      if (where === 'item') return JSON.parse(JSON.stringify(item).replace(/^\{/, `{"${key}": {"polluted": true},`));
      return { ...item, [where]: poisoned };
    }),
  (item) =>
    fc.oneof(
      fc.constantFrom(null, 'item', 42, true, [], [item]),
      fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)),
    ),
  () =>
    fc.constantFrom<Metric>('nps', 'csat', 'ces').chain((metric) =>
      fc.tuple(
        validResponseBase,
        fc.oneof(
          fc.integer({ min: -1000, max: SCALES[metric][0] - 1 }),
          fc.integer({ min: SCALES[metric][1] + 1, max: 1000 }),
          fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
          fc.constantFrom('9', 'NaN', 'Infinity', null, '', [9], { score: 9 }, 1e309),
        ),
      ).map(([item, score]) => ({ ...item, metric, score })),
    ),
  () => fc.tuple(validResponseBase, fc.oneof(fc.string({ maxLength: 8 }), wrongValue)).filter(([, metric]) => !(typeof metric === 'string' && metric in SCALES)).map(([item, metric]) => ({ ...item, metric })),
  () => fc.tuple(validResponseBase, wrongValue).filter(([, final]) => typeof final !== 'boolean').map(([item, final]) => ({ ...item, final })),
  () => fc.tuple(validResponseBase, text(LIMITS.commentChars + 1, LIMITS.commentChars + 40)).map(([item, comment]) => ({ ...item, comment })),
  (item) =>
    fc.tuple(unstorable, pick(['anonymousId', 'sessionId', 'id', 'properties', 'key'])).map(([bad, where]) => {
      if (where === 'properties') return { ...item, type: 'track', event: 'e', properties: { note: bad } };
      if (where === 'key') return { ...item, type: 'track', event: 'e', properties: { [bad]: 1 } };
      return { ...item, [where]: bad };
    }),
  (item) => fc.constant({ ...item, type: 'survey_dismissed', surveyId: 's', reason: 'maybe' }),
  (item) => fc.constant({ ...item, type: 'track', event: 'e', properties: ['not', 'a', 'record'] }),
  (item) => fc.constant({ ...item, type: 'identify', userId: 'u', traits: [{ plan: 'pro' }] }),
];

function without(item: Json, key: string): Json {
  const { [key]: _, ...rest } = item;
  return rest;
}

/** An item the protocol refuses, made from a valid one (so it keeps that one's id unless the id is what is wrong). */
const invalidFrom = (item: Json) => fc.nat({ max: MUTATIONS.length - 1 }).chain((which) => MUTATIONS[which]!(item));

/** One entry of a mixed batch: a valid item, or one the server must reject. */
export type Entry = { valid: true; item: Json } | { valid: false; item: unknown };

/**
 * Valid and invalid items interleaved. Invalid ones are mutations of the valid ones, so most
 * carry a valid item's id, which must not make either a duplicate; some valid items take the id
 * of another (a duplicate within the batch), some answers the responseId of another (maybe of
 * another metric); `resent` marks valid items also sent in an earlier batch.
 */
export const mixedBatch = fc
  .array(validItem, { maxLength: 14 })
  .chain((valids) =>
    fc.tuple(
      fc.tuple(...valids.map((item) => fc.option(invalidFrom(item), { nil: undefined, freq: 2 }))),
      fc
        .tuple(fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 }))
        .map(([ids, responseIds]) => sharing(sharing(valids, ids, 'id'), responseIds, 'responseId')),
    ),
  )
  .chain(([invalids, valids]) => {
    const entries: Entry[] = [
      ...valids.map((item): Entry => ({ valid: true, item })),
      ...invalids.filter((item) => item !== undefined).map((item): Entry => ({ valid: false, item })),
    ];
    return fc.tuple(fc.shuffledSubarray(entries, { minLength: entries.length }), fc.func(fc.boolean()));
  })
  .map(([entries, resend]) => ({ entries, resent: entries.filter((entry, index) => entry.valid && resend(index)).map((entry) => entry.item as Json) }));

/** The items with `key` copied from one to another for each pair, among the items that have it. */
function sharing(items: Json[], copies: [number, number][], key: string): Json[] {
  const having = items.flatMap((item, index) => (key in item ? [index] : []));
  const shared = [...items];
  for (const [from, to] of copies) {
    if (having.length < 2) break;
    const target = having[to % having.length]!;
    shared[target] = { ...shared[target], [key]: shared[having[from % having.length]!]![key] };
  }
  return shared;
}

export interface HostileRequest {
  body: string;
  headers: Record<string, string>;
  /** What the protocol answers, the first check that applies (docs/protocol.md#answers). */
  status: 400 | 401 | 413 | 415;
}

const ISO_NOW = '2026-11-25T12:00:00.000Z';
// sentAt is passed explicitly: a default would stand in for the `undefined` a case sends to leave it out.
const envelope = (writeKey: unknown, batch: unknown, sentAt: unknown) => ({ writeKey, sentAt, batch });
const items = fc.array(validItem, { maxLength: 3 });

const notJson = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('{not json', '', ' ', '{"writeKey":"pk_demo",', 'undefined', 'NaN', "{'writeKey':'pk_demo'}", '\ufeff{}'),
  fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value).slice(0, -1) + '\u0000'),
).filter((text) => {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
});

const notString = fc.oneof(wrongValue, fc.constant(undefined)).filter((value) => typeof value !== 'string');
const notArray = fc.oneof(wrongValue, fc.constant(undefined)).filter((value) => !Array.isArray(value));
const notTime = fc.oneof(notString, pick(['yesterday', '', 'soon', '2026-13-45', 'NaN'])).filter((value) => typeof value !== 'string' || Number.isNaN(Date.parse(value)));
const unknownKey = fc.oneof(text(0, 40), pick(['sk_demo', 'sk_acme', 'PK_DEMO', 'pk_demo ', ' pk_demo', 'pk_demo\u0000', 'pk_'])).filter((key) => key !== 'pk_demo' && key !== 'pk_acme');
const knownKey = pick(['pk_demo', 'pk_acme']);

// Headers must be sendable at all: printable ASCII, and not either accepted type in any spelling.
const wrongType = fc.oneof(
  pick(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/html', 'application/xml', 'text/plainx', 'application/json5', 'application/jsonp', 'text', '*/*', 'application/ld+json']),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 30 }),
).filter((type) => !['text/plain', 'application/json'].includes(type.split(';')[0]!.trim().toLowerCase()));

/** Envelopes the server refuses whole, each with the status it must answer. */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.oneof(
  notJson.map((body) => ({ body, status: 400 as const })),
  fc.jsonValue({ maxDepth: 2 }).filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => ({ body: JSON.stringify(value), status: 400 as const })),
  fc.tuple(notString, items).map(([key, batch]) => ({ body: JSON.stringify(envelope(key, batch, ISO_NOW)), status: 400 as const })),
  fc.tuple(knownKey, notArray).map(([key, batch]) => ({ body: JSON.stringify(envelope(key, batch, ISO_NOW)), status: 400 as const })),
  fc.tuple(knownKey, items, notTime).map(([key, batch, sentAt]) => ({ body: JSON.stringify(envelope(key, batch, sentAt)), status: 400 as const })),
  // The count is checked before any item is read: these need not even be items.
  fc.tuple(knownKey, fc.integer({ min: LIMITS.itemsPerBatch + 1, max: 3000 }), fc.jsonValue({ maxDepth: 1 })).map(([key, count, item]) => ({
    body: JSON.stringify(envelope(key, Array.from({ length: count }, () => item), ISO_NOW)),
    status: 413 as const,
  })),
  fc.tuple(unknownKey, items).map(([key, batch]) => ({ body: JSON.stringify(envelope(key, batch, ISO_NOW)), status: 401 as const })),
  fc.tuple(knownKey, validItem, hugeString(LIMITS.bodyBytes + 1)).map(([key, item, pad]) => ({
    body: JSON.stringify(envelope(key, [{ ...item, pad }], ISO_NOW)),
    status: 413 as const,
  })),
).chain((request) =>
  fc.oneof(
    fc.constant({ ...request, headers: { 'Content-Type': 'text/plain' } }),
    fc.constant({ ...request, headers: { 'Content-Type': 'application/json; charset=utf-8' } }),
    // A declared length lets a body over the limit be refused before it is read.
    fc.constant({ ...request, headers: { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(request.body)) } }),
    // The content type is checked first: whatever else is wrong, a wrong type is answered 415.
    wrongType.map((type) => ({ ...request, headers: { 'Content-Type': type }, status: 415 as const })),
    fc.constant({ ...request, headers: { 'Content-Type': '' }, status: 415 as const }),
  ),
);

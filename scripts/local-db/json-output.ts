// JSON-typed values for clients that do not ask for raw text (Neon-Raw-Text-Output absent/false), as Neon's proxy converts them.

const BOOL = 16;
const NUMBER_TYPES = new Set([21, 23, 20, 700, 701, 26]); // int2, int4, int8, float4, float8, oid
const JSON_TYPES = new Set([114, 3802]);
/** Array type OID → element type OID for the common arrays; arrays of other types stay text. */
const ARRAY_ELEMENTS = new Map<number, number>([
  [1000, BOOL],
  [1005, 21],
  [1007, 23],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [1028, 26],
  [199, 114],
  [3807, 3802],
  [1009, 25],
  [1015, 1043],
  [1014, 1042],
  [2951, 2950],
  [1231, 1700],
  [1115, 1114],
  [1185, 1184],
  [1182, 1082],
]);

function scalarToJson(text: string, typeId: number): unknown {
  if (typeId === BOOL) return text === 't';
  if (NUMBER_TYPES.has(typeId)) {
    const number = Number(text);
    return Number.isFinite(number) ? number : text;
  }
  if (JSON_TYPES.has(typeId)) return JSON.parse(text);
  return text;
}

/** Parses a Postgres array literal such as {1,NULL,"a\"b"} or {{1,2},{3,4}} into nested arrays of text. */
function parseArrayLiteral(text: string): unknown {
  let position = text.startsWith('[') ? text.indexOf('=') + 1 : 0; // skip explicit bounds like [0:1]=
  function parseLevel(): unknown[] {
    const items: unknown[] = [];
    position += 1; // '{'
    while (position < text.length && text[position] !== '}') {
      const char = text[position];
      if (char === ',') {
        position += 1;
      } else if (char === '{') {
        items.push(parseLevel());
      } else if (char === '"') {
        let value = '';
        position += 1;
        while (text[position] !== '"') {
          if (text[position] === '\\') position += 1;
          value += text[position];
          position += 1;
        }
        position += 1;
        items.push(value);
      } else {
        const end = text.slice(position).search(/[,}]/);
        const value = text.slice(position, position + end).trim();
        position += end;
        items.push(value.toUpperCase() === 'NULL' ? null : value);
      }
    }
    position += 1; // '}'
    return items;
  }
  return parseLevel();
}

export function textToJson(text: string | null, typeId: number): unknown {
  if (text === null) return null;
  const elementType = ARRAY_ELEMENTS.get(typeId);
  if (elementType === undefined) return scalarToJson(text, typeId);
  const convert = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(convert) : value === null ? null : scalarToJson(value as string, elementType);
  return convert(parseArrayLiteral(text));
}

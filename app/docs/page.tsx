// /docs — the API reference for people, rendered on the server from the same OpenAPI document as /api/openapi.json.
import type { ReactNode } from 'react';
import { PROBLEM_STATUS, problemType, type ProblemCode } from '@/src/http/problem.ts';
import { fieldsOf, parametersOf, responsesOf } from '@/src/openapi/describe.ts';
import { openApiDocument } from '@/src/openapi/document.ts';
import { PROBLEM_EXPLANATIONS } from '@/src/openapi/problem-codes.ts';
import { METHODS, type JsonSchema, type Operation } from '@/src/openapi/types.ts';

export const metadata = { title: 'API reference' };

// The document is fixed per build, so the page is HTML made at build time: no function runs to serve it.
export const dynamic = 'force-static';

/** Backtick spans in the document's descriptions become <code>. */
function Text({ children }: { children?: string }) {
  const parts = (children ?? '').split('`');
  return <>{parts.map((part, index) => (index % 2 ? <code key={index}>{part}</code> : part))}</>;
}

/** On a phone each row stacks into a card, its cells labelled by their column (`data-label`, see globals.css). */
function Table({ head, rows }: { head: string[]; rows: ReactNode[][] }) {
  return (
    <table className="stacking-table">
      <thead>
        <tr>
          {head.map((cell) => (
            <th key={cell} scope="col">
              {cell}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, index) => (
          <tr key={index}>
            {row.map((cell, column) => (
              <td key={column} data-label={head[column]}>
                <div>{cell}</div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationSection({ method, path, operation }: { method: string; path: string; operation: Operation }) {
  const document = openApiDocument();
  const parameters = parametersOf(document, operation.parameters);
  const bodySchema = operation.requestBody?.content['application/json']?.schema as JsonSchema | undefined;
  const auth = operation.security.length
    ? `${operation['x-access']}: Bearer token or session cookie`
    : 'Public: no token needed';
  return (
    <section className="operation" id={operation.operationId} aria-labelledby={`${operation.operationId}-title`}>
      <h3 id={`${operation.operationId}-title`}>
        <span className="method">{method}</span>
        <code>{path}</code>
      </h3>
      <p>
        <Text>{operation.summary}</Text>
      </p>
      {operation.description && (
        <p>
          <Text>{operation.description}</Text>
        </p>
      )}
      <p>
        <strong>Auth:</strong> {auth}
      </p>
      {parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <Table
            head={['Name', 'In', 'Required', 'Schema', 'Description']}
            rows={parameters.map((parameter) => [
              <code key="name">{parameter.name}</code>,
              parameter.in,
              parameter.required ? 'yes' : 'no',
              <Text key="schema">{summarizeParameter(parameter.schema)}</Text>,
              <Text key="description">{parameter.description}</Text>,
            ])}
          />
        </>
      )}
      {bodySchema && (
        <>
          <h4>
            Request body (<code>application/json</code>)
          </h4>
          <Table
            head={['Field', 'Required', 'Type']}
            rows={fieldsOf(document, bodySchema).map((field) => [
              <code key="name">{field.name}</code>,
              field.required ? 'yes' : 'no',
              field.type,
            ])}
          />
        </>
      )}
      <h4>Responses</h4>
      <Table
        head={['Status', 'Description', 'Body', 'Headers']}
        rows={responsesOf(document, operation.responses).map((response) => [
          <strong key="status">{response.status}</strong>,
          <span key="description">
            <Text>{response.description}</Text>
            {response.codes.length > 0 && (
              <span className="codes">
                {' '}
                Codes:{' '}
                {response.codes.map((code, index) => (
                  <span key={code}>
                    {index > 0 && ', '}
                    <a href={problemType(code as ProblemCode)}>
                      <code>{code}</code>
                    </a>
                  </span>
                ))}
                .
              </span>
            )}
          </span>,
          response.body ? (
            <span key="body">
              {response.body.schema} <small>({response.body.mediaType})</small>
            </span>
          ) : (
            '—'
          ),
          response.headers.map((header) => (
            <div key={header.name}>
              <code>{header.name}</code>
              {header.required ? '' : ' (sometimes)'}
            </div>
          )),
        ])}
      />
    </section>
  );
}

function summarizeParameter(schema: JsonSchema): string {
  const pattern = typeof schema.pattern === 'string' ? `, matching \`${schema.pattern}\`` : '';
  const fallback = schema.default === undefined ? '' : `, default ${String(schema.default)}`;
  return `${String(schema.type)}${pattern}${fallback}`;
}

export default function DocsPage() {
  const document = openApiDocument();
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ method, path, operation: item[method] }] : [])),
  );
  const problemFields = fieldsOf(document, document.components.schemas.Problem!);
  return (
    <main className="page docs">
      <h1>
        {document.info.title} <small>{document.info.version}</small>
      </h1>
      <p>
        <Text>{document.info.description}</Text>
      </p>
      <p>
        Machine-readable (OpenAPI {document.openapi}): <a href="/api/openapi.json">/api/openapi.json</a>
      </p>

      <h2>Authentication</h2>
      <dl>
        {Object.entries(document.components.securitySchemes).map(([name, scheme]) => (
          <div key={name}>
            <dt>
              <code>{name}</code>:{' '}
              {scheme.type === 'http' ? `HTTP ${scheme.scheme} (${scheme.bearerFormat})` : `cookie ${scheme.name}`}
            </dt>
            <dd>
              <Text>{scheme.description}</Text>
            </dd>
          </div>
        ))}
      </dl>

      <h2>Errors</h2>
      <p>
        Every error is <code>application/problem+json</code> (RFC 9457) with these fields:
      </p>
      <Table
        head={['Field', 'Always', 'Type', 'Meaning']}
        rows={problemFields.map((field) => [
          <code key="name">{field.name}</code>,
          field.required ? 'yes' : 'no',
          field.type,
          <Text key="description">{field.description}</Text>,
        ])}
      />

      <h2 id="problem-codes">Problem codes</h2>
      <p>
        A problem&apos;s <code>code</code> says what went wrong and does not change between versions: switch on it, not
        on the status or the wording of <code>detail</code>. Its <code>type</code> links here. Each operation below
        lists the codes each of its responses can carry.
      </p>
      <Table
        head={['Code', 'Status', 'Meaning']}
        rows={(Object.keys(PROBLEM_STATUS) as ProblemCode[]).map((code) => [
          <code key="code" id={`problem-${code}`}>
            {code}
          </code>,
          PROBLEM_STATUS[code],
          <Text key="meaning">{PROBLEM_EXPLANATIONS[code]}</Text>,
        ])}
      />

      <h2>Operations</h2>
      <nav aria-label="Operations">
        <ul>
          {operations.map(({ method, path, operation }) => (
            <li key={operation.operationId}>
              <a href={`#${operation.operationId}`}>
                <span className="method">{method}</span>
                <code>{path}</code>
              </a>{' '}
              — <Text>{operation.summary}</Text>
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ method, path, operation }) => (
        <OperationSection key={operation.operationId} method={method} path={path} operation={operation} />
      ))}
    </main>
  );
}

// Assertions shared by every test that expects an RFC 9457 problem response.
import { expect } from 'vitest';
import { PROBLEM_STATUS, problemType, type ProblemCode } from '@/src/http/problem.ts';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail: string;
  errors?: { field: string; message: string }[];
}

export async function expectProblem(response: Response, status: number): Promise<ProblemBody> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as ProblemBody;
  expect(body).toMatchObject({
    status,
    title: expect.any(String),
    code: expect.any(String),
    detail: expect.any(String),
  });
  // A known code of this status, whose `type` is where /docs explains it.
  expect(PROBLEM_STATUS[body.code], body.code).toBe(status);
  expect(body.type).toBe(problemType(body.code));
  expect(body.detail.length).toBeGreaterThan(0);
  return body;
}

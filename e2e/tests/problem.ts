import { APIResponse, expect } from '@playwright/test';

// Every error body, from a role or from the edge: {code, message, request_id}, the id also in
// the X-Request-Id header.
export async function expectProblem(response: APIResponse, status: number, code: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toMatch(/json/);
  const body = await response.json();
  expect(body.code).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(body.request_id).toBe(response.headers()['x-request-id']);
  return body;
}
